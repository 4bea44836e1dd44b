package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** SQL migration files run by the built-in Flyway runner of the dbguard image. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SqlMigrations {

  @JsonPropertyDescription("ConfigMap whose keys are migration files (V1__init.sql …).")
  @Required
  private String configMapName;

  public String getConfigMapName() {
    return configMapName;
  }

  public void setConfigMapName(String configMapName) {
    this.configMapName = configMapName;
  }
}
