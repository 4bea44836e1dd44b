package io.dbguard.core.analysis.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link RailsClassFiles}: Rails' file names for constants, and where a class is looked for. */
class RailsClassFilesTest {
  @TempDir Path root;

  @ParameterizedTest
  @CsvSource({
    "EstateSeeder, estate_seeder",
    "HTTPSeeder, http_seeder",
    "IaaOrderSeeder, iaa_order_seeder",
    "Admin::UserSeeder, admin/user_seeder",
    "Seeder, seeder",
    "V2Importer, v2_importer"
  })
  void constantsMapToRailsFileNames(String constant, String file) {
    assertThat(RailsClassFiles.underscore(constant)).isEqualTo(file);
  }

  @Test
  void findsTheClassUnderAppOrLibButNotAModel() throws Exception {
    Path seed = Files.createDirectories(root.resolve("db")).resolve("seeds.rb");
    Files.writeString(seed, "");
    Path service = root.resolve("app/services/seeding/estate_seeder.rb");
    Files.createDirectories(service.getParent());
    Files.writeString(service, "class EstateSeeder\nend\n");
    Path model = root.resolve("app/models/estate.rb");
    Files.createDirectories(model.getParent());
    Files.writeString(model, "class Estate < ApplicationRecord\nend\n");

    assertThat(RailsClassFiles.find(seed, "EstateSeeder")).contains(service.toAbsolutePath());
    assertThat(RailsClassFiles.find(seed, "Estate")).isEmpty();
    assertThat(RailsClassFiles.find(seed, "Missing")).isEmpty();
  }
}
