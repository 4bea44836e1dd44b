package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import io.dbguard.core.analysis.seed.SeedClassification;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rails seeds that hand their work to a class of the application ({@code WarehouseSeeder.seed!},
 * {@code DemoData.new.run}) are judged by that class's code, found where Rails autoloads it from
 * ({@code app/services}, {@code app/lib}, any directory under {@code app/}, or {@code lib/}); only
 * a class no file of the application defines stays unknown. Examples written for this test.
 */
class RailsSeedClassesTest {

  @TempDir Path root;

  private SeedClassification seeds(String src) throws Exception {
    Path f = root.resolve("db/seeds.rb");
    Files.createDirectories(f.getParent());
    Files.writeString(f, src);
    return new SeedAnalyzer().classify(f);
  }

  private void code(String file, String src) throws Exception {
    Path f = root.resolve(file);
    Files.createDirectories(f.getParent());
    Files.writeString(f, src);
  }

  @Test
  void aSeederServiceThatFindsOrCreatesIsIdempotent() throws Exception {
    code(
        "app/services/warehouse_seeder.rb",
        """
        class WarehouseSeeder
          def self.seed!
            YAML.load(File.read(Rails.root.join("config/warehouses.yml"))).each do |code, attrs|
              Warehouse.find_or_initialize_by(code: code).update!(attrs)
            end
          end
        end
        """);
    SeedClassification c =
        seeds("ActiveRecord::Base.transaction do\n  WarehouseSeeder.seed!\nend\n");
    assertThat(c.idempotency()).isEqualTo(Idempotency.IDEMPOTENT);
    assertThat(c.reason()).contains("warehouse_seeder.rb");
  }

  @Test
  void aSeederInAppLibThatCreatesEveryRunIsNonIdempotent() throws Exception {
    code(
        "app/lib/demo_data.rb",
        """
        class DemoData
          def run
            10.times { |i| Order.create!(number: "DEMO-#{i}") }
          end
        end
        """);
    assertThat(seeds("DemoData.new.run unless Rails.env.production?\n").idempotency())
        .isEqualTo(Idempotency.NON_IDEMPOTENT);
  }

  @Test
  void aSyncClassThatDeletesRowsIsDestructive() throws Exception {
    code(
        "lib/catalog_sync.rb",
        """
        class CatalogSync
          def self.call
            Product.where.not(sku: SKUS).destroy_all
            SKUS.each { |s| Product.find_or_create_by!(sku: s) }
          end
        end
        """);
    assertThat(seeds("CatalogSync.call\n").idempotency()).isEqualTo(Idempotency.DESTRUCTIVE);
  }

  @Test
  void aNamespacedClassIsFoundInItsNamespaceDirectory() throws Exception {
    code(
        "app/services/partners/contract_seeder.rb",
        """
        module Partners
          class ContractSeeder
            def run
              Contract.where.not(code: CODES).destroy_all
            end
          end
        end
        """);
    assertThat(seeds("Partners::ContractSeeder.new.run\n").idempotency())
        .isEqualTo(Idempotency.DESTRUCTIVE);
  }

  @Test
  void aClassNoFileDefinesStaysUnknown() throws Exception {
    code("app/services/other_seeder.rb", "class OtherSeeder\nend\n");
    SeedClassification c = seeds("MissingSeeder.seed!\n");
    assertThat(c.idempotency()).isEqualTo(Idempotency.UNKNOWN);
    assertThat(c.reason()).contains("no file of the application defines the class");
  }

  @Test
  void aBackgroundJobRunFromASeedIsNotReadAsSeedCode() throws Exception {
    code(
        "app/jobs/close_expired_job.rb",
        """
        class CloseExpiredJob < ApplicationJob
          def perform(id)
            ticket = Ticket.find(id)
            ticket.attachments.destroy_all if ticket.expired?
          end
        end
        """);
    assertThat(seeds("CloseExpiredJob.new.perform(Ticket.first.id)\n").idempotency())
        .isEqualTo(Idempotency.UNKNOWN);
  }

  @Test
  void railsOwnSeedLoadingStaysUnknown() throws Exception {
    assertThat(seeds("Rails.application.load_seed\n").idempotency()).isEqualTo(Idempotency.UNKNOWN);
  }
}
