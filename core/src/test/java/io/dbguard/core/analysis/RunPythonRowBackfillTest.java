package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.rules.Verdict;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Django {@code RunPython} forward function that walks every row of a model and writes values
 * derived from each row is a full-table backfill (DBG223), whatever the loop's shape — {@code
 * .iterator(chunk_size=…)}, {@code .only()}, {@code .select_related()}, a filter only on the field
 * being filled, an unfiltered queryset handed to a batching helper or a {@code Paginator}, a loop
 * nested in a loop over the parent rows, {@code transaction.atomic()} per row — and whatever the
 * write: a related manager's {@code update}, {@code Other.objects.filter(parent=row).update}, an
 * update of the row by its key, a save or a {@code bulk_update}. A real filter, a loop that only
 * reads, constants, a reverse function and a loop over literal values keep their verdicts. Examples
 * written for this test.
 */
class RunPythonRowBackfillTest {

  @TempDir Path dir;

  private int n;

  private static final String HEAD =
      "from django.db import migrations, models, transaction\n"
          + "from django.core.paginator import Paginator\n"
          + "from dash.utils import chunks\n"
          + "from more_itertools import chunked\n\n";

  private static final String FORWARDS =
      "def forwards(apps, schema_editor):\n"
          + "    Ticket = apps.get_model(\"desk\", \"Ticket\")\n"
          + "    Reply = apps.get_model(\"desk\", \"Reply\")\n";

  private List<Finding> findings(String functions, String runPython) throws Exception {
    n++;
    return AnalysisFiles.findings(
        AnalysisFiles.write(
            dir,
            "desk/migrations/00" + (10 + n) + "_tickets.py",
            HEAD
                + functions
                + "\nclass Migration(migrations.Migration):\n"
                + "    dependencies = [(\"desk\", \"0001_initial\")]\n"
                + "    operations = ["
                + runPython
                + "]\n"));
  }

  /** The rule ids of a forward-only migration whose forward function's body is {@code body}. */
  private List<String> forwards(String body) throws Exception {
    return findings(FORWARDS + body, "migrations.RunPython(forwards)").stream()
        .map(Finding::ruleId)
        .toList();
  }

  @Test
  void aRelatedManagerUpdatedFromEachRowIsABackfill() throws Exception {
    // seen failing before the change: DBG221 only
    List<Finding> f =
        findings(
            FORWARDS
                + "    for ticket in Ticket.objects.all().iterator():\n"
                + "        ticket.replies.update(org=ticket.org)\n",
            "migrations.RunPython(forwards)");
    assertThat(f).extracting(Finding::ruleId).containsExactly("DBG223", "DBG221");
    assertThat(f.get(0).message())
        .contains("ticket.replies.update(org=ticket.org)")
        .contains("the rows of ticket.replies")
        .contains("desk_ticket");
    assertThat(f.get(0).verdict()).isEqualTo(Verdict.WARN);
    assertThat(
            forwards(
                "    for ticket in Ticket.objects.select_related(\"org\"):\n"
                    + "        with transaction.atomic():\n"
                    + "            ticket.replies.all().update(org_id=ticket.org_id)\n"))
        .containsExactly("DBG223", "DBG221");
  }

  @Test
  void anotherModelsRowsFilteredByTheLoopRowAreABackfill() throws Exception {
    List<Finding> f =
        findings(
            FORWARDS
                + "    for ticket in Ticket.objects.iterator(chunk_size=500):\n"
                + "        Reply.objects.filter(ticket=ticket).update(org=ticket.org)\n",
            "migrations.RunPython(forwards, migrations.RunPython.noop)");
    assertThat(f).extracting(Finding::ruleId).containsExactly("DBG223");
    assertThat(f.get(0).message()).contains("desk_reply").contains("desk_ticket");
    // beside DDL in one transaction: the backfill, not also the scoped update of one row's replies
    assertThat(
            findings(
                FORWARDS
                    + "    for ticket in Ticket.objects.all():\n"
                    + "        Reply.objects.filter(ticket_id=ticket.id).update(org=ticket.org)\n",
                "migrations.AddField(model_name=\"ticket\", name=\"priority\","
                    + " field=models.IntegerField(null=True)),"
                    + " migrations.RunPython(forwards, migrations.RunPython.noop)"))
        .extracting(Finding::ruleId)
        .containsExactly("DBG223");
    // the row itself, updated by its key
    assertThat(
            forwards(
                "    for ticket in Ticket.objects.only(\"id\", \"org\").iterator():\n"
                    + "        Ticket.objects.filter(pk=ticket.pk).update(org_name=ticket.org.name)\n"))
        .containsExactly("DBG223", "DBG221");
  }

  @Test
  void aFilterOnlyOnTheFieldBeingFilledIsStillTheWholeTable() throws Exception {
    assertThat(
            forwards(
                "    for ticket in Ticket.objects.filter(org_name__isnull=True).iterator():\n"
                    + "        ticket.org_name = ticket.org.name\n"
                    + "        ticket.save(update_fields=[\"org_name\"])\n"))
        .containsExactly("DBG223", "DBG221");
  }

  @Test
  void anUnfilteredQuerysetHandedToABatchingHelperIsTheWholeTable() throws Exception {
    assertThat(
            forwards(
                "    for batch in chunks(Ticket.objects.all(), 1000):\n"
                    + "        for ticket in batch:\n"
                    + "            ticket.replies.update(org=ticket.org)\n"))
        .containsExactly("DBG223", "DBG221");
    assertThat(
            forwards(
                "    tickets = Ticket.objects.order_by(\"id\")\n"
                    + "    for batch in chunked(tickets.iterator(), 500):\n"
                    + "        with transaction.atomic():\n"
                    + "            for ticket in batch:\n"
                    + "                ticket.org_name = ticket.org.name\n"
                    + "            Ticket.objects.bulk_update(batch, [\"org_name\"])\n"))
        .containsExactly("DBG223", "DBG221");
    assertThat(
            forwards(
                "    paginator = Paginator(Ticket.objects.all().order_by(\"pk\"), 500)\n"
                    + "    for number in paginator.page_range:\n"
                    + "        page = paginator.page(number)\n"
                    + "        for ticket in page.object_list:\n"
                    + "            Ticket.objects.filter(pk=ticket.pk).update(title=ticket.subject)\n"))
        .containsExactly("DBG223", "DBG221");
    // a generator of the file's own
    assertThat(
            findings(
                "def batched(qs, size):\n"
                    + "    start = 0\n"
                    + "    while True:\n"
                    + "        rows = list(qs[start:start + size])\n"
                    + "        if not rows:\n"
                    + "            return\n"
                    + "        yield rows\n"
                    + "        start += size\n\n"
                    + FORWARDS
                    + "    for rows in batched(Ticket.objects.all(), 200):\n"
                    + "        for ticket in rows:\n"
                    + "            ticket.title = ticket.subject.strip()\n"
                    + "            ticket.save()\n",
                "migrations.RunPython(forwards, migrations.RunPython.noop)"))
        .extracting(Finding::ruleId)
        .containsExactly("DBG223");
  }

  @Test
  void aLoopOverEachParentsChildrenIsABackfillOfTheChildren() throws Exception {
    assertThat(
            forwards(
                "    for ticket in Ticket.objects.all():\n"
                    + "        for reply in Reply.objects.filter(ticket=ticket):\n"
                    + "            reply.org = ticket.org\n"
                    + "            reply.save()\n"))
        .containsExactly("DBG223", "DBG221");
    assertThat(
            forwards(
                "    for ticket in Ticket.objects.all():\n"
                    + "        for reply in ticket.replies.all():\n"
                    + "            reply.org_id = ticket.org_id\n"
                    + "            reply.save(update_fields=[\"org\"])\n"))
        .containsExactly("DBG223", "DBG221");
  }

  @Test
  void nearMissesKeepTheirVerdicts() throws Exception {
    // a real condition on another column: scoped, as before
    assertThat(
            forwards(
                "    for ticket in Ticket.objects.filter(status=\"open\"):\n"
                    + "        ticket.replies.update(org=ticket.org)\n"
                    + "        Reply.objects.filter(ticket=ticket).update(org=ticket.org)\n"))
        .containsExactly("DBG221");
    assertThat(
            forwards(
                "    for batch in chunks(Ticket.objects.filter(status=\"open\"), 100):\n"
                    + "        for ticket in batch:\n"
                    + "            ticket.org_name = ticket.org.name\n"
                    + "            ticket.save()\n"))
        .containsExactly("DBG221");
    // only reads
    assertThat(
            forwards(
                "    count = 0\n"
                    + "    for ticket in Ticket.objects.all().iterator():\n"
                    + "        print(ticket.replies.count())\n"
                    + "        count += 1\n"))
        .containsExactly("DBG221");
    // constants: an overwrite of every row stays DBG112, a related manager's constant is unchanged
    assertThat(
            forwards(
                "    for batch in chunks(Ticket.objects.all(), 1000):\n"
                    + "        for ticket in batch:\n"
                    + "            ticket.org_name = \"\"\n"
                    + "            ticket.save()\n"))
        .containsExactly("DBG112", "DBG221");
    assertThat(
            forwards(
                "    for ticket in Ticket.objects.all():\n"
                    + "        ticket.replies.update(seen=False)\n"))
        .containsExactly("DBG221");
    // a dict field mutated then saved is the row's own save, not a related manager
    assertThat(
            forwards(
                "    for ticket in Ticket.objects.all():\n"
                    + "        ticket.meta.update(origin=ticket.source)\n"
                    + "        ticket.save()\n"))
        .containsExactly("DBG221");
    // the reverse function
    assertThat(
            findings(
                "def forwards(apps, schema_editor):\n"
                    + "    pass\n\n"
                    + "def backwards(apps, schema_editor):\n"
                    + "    Ticket = apps.get_model(\"desk\", \"Ticket\")\n"
                    + "    for batch in chunks(Ticket.objects.all(), 1000):\n"
                    + "        for ticket in batch:\n"
                    + "            ticket.replies.update(org=ticket.org)\n",
                "migrations.RunPython(forwards, backwards)"))
        .isEmpty();
    // a literal list of values creating rows
    assertThat(
            forwards(
                "    for name in [\"low\", \"normal\", \"high\"]:\n"
                    + "        Ticket.objects.create(priority=name)\n"))
        .containsExactly("DBG221");
  }
}
