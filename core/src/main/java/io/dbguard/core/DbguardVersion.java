package io.dbguard.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this dbguard build, e.g. {@code 0.1.0} or {@code 0.2.0-SNAPSHOT}: the Maven
 * project version, written into {@code io/dbguard/core/version.properties} by resource filtering
 * when the core module is built. Printed by {@code dbguard --version} and logged by the operator at
 * start-up.
 */
public final class DbguardVersion {
  private static final String RESOURCE = "version.properties";
  private static final String VERSION = load();

  private DbguardVersion() {}

  /**
   * The build's version.
   *
   * @return the version string, never null
   * @throws IllegalStateException when the build left the resource missing or unfiltered
   */
  public static String current() {
    if (VERSION == null || VERSION.isBlank() || VERSION.startsWith("${")) {
      throw new IllegalStateException(
          "io/dbguard/core/" + RESOURCE + " is missing or was not filtered by the build");
    }
    return VERSION;
  }

  private static String load() {
    try (InputStream in = DbguardVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
