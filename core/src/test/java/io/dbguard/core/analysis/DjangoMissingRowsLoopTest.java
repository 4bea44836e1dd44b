package io.dbguard.core.analysis;

import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import java.nio.file.Path;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Django seed that creates one row per row of a queryset filtered to the rows that lack it
 * ({@code for m in Member.objects.filter(librarycard__isnull=True):
 * LibraryCard.objects.create(member=m)}) is idempotent: once it ran, every member has a card and a
 * rerun's loop finds no row (the default related query name of a relation is the lower-cased model
 * name, per Django's "Making queries" documentation). Any other loop that creates rows creates them
 * again on every run. Every seed here was written for this test (a library domain).
 */
class DjangoMissingRowsLoopTest {

  @TempDir Path dir;

  private Idempotency seed(String name, String src) throws Exception {
    Path f =
        AnalysisFiles.write(
            dir, "seeds/" + name, "from library.models import Book, LibraryCard, Member\n" + src);
    return new SeedAnalyzer().classify(f).idempotency();
  }

  @Test
  void creatingWhatEachRowLacksIsIdempotent() throws Exception {
    String[] seeds = {
      "for m in Member.objects.filter(librarycard__isnull=True):\n"
          + "    LibraryCard.objects.create(member=m)\n",
      "for m in Member.objects.filter(librarycard__isnull=True).iterator():\n"
          + "    LibraryCard.objects.create(member=m, pin=1234)\n",
      "for m in Member.objects.filter(active=True, librarycard__isnull=True):\n"
          + "    LibraryCard.objects.create(member_id=m.id)\n",
      "def run():\n"
          + "    for member in Member.objects.filter(librarycard__isnull=True):\n"
          + "        LibraryCard.objects.create(member=member)\n",
      "cardless = Member.objects.filter(librarycard__isnull=True)\n"
          + "for m in cardless:\n"
          + "    LibraryCard.objects.create(member_id=m.pk)\n",
      "for b in Book.objects.filter(cover_image__isnull=True):\n"
          + "    CoverImage.objects.create(book=b, path='blank.png')\n",
      "for m in Member.objects.exclude(librarycard__isnull=False):\n"
          + "    LibraryCard.objects.create(member=m)\n",
    };
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < seeds.length; i++) {
      soft.assertThat(seed("fill" + i + ".py", seeds[i]))
          .as(seeds[i])
          .isEqualTo(Idempotency.IDEMPOTENT);
    }
    soft.assertAll();
  }

  @Test
  void otherLoopCreatesStayNonIdempotent() throws Exception {
    String[] seeds = {
      "for m in Member.objects.filter(active=True):\n"
          + "    LibraryCard.objects.create(member=m)\n",
      "for m in Member.objects.filter(librarycard__isnull=True):\n"
          + "    Notice.objects.create(member=m)\n",
      "for m in Member.objects.filter(librarycard__isnull=True):\n"
          + "    LibraryCard.objects.create(pin=1234)\n",
      "for m in Member.objects.filter(librarycard__isnull=False):\n"
          + "    LibraryCard.objects.create(member=m)\n",
      "for m in Member.objects.all():\n    LibraryCard.objects.create(member=m)\n",
      "first = Member.objects.first()\n"
          + "for m in Member.objects.filter(librarycard__isnull=True):\n"
          + "    LibraryCard.objects.create(member=first)\n",
      "for m in Member.objects.filter(librarycard__isnull=True):\n"
          + "    pass\n"
          + "LibraryCard.objects.create(member=m)\n",
    };
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < seeds.length; i++) {
      soft.assertThat(seed("loop" + i + ".py", seeds[i]))
          .as(seeds[i])
          .isEqualTo(Idempotency.NON_IDEMPOTENT);
    }
    soft.assertAll();
  }
}
