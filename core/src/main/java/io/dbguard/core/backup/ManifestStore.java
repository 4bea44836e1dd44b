package io.dbguard.core.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dbguard.core.engine.DbguardException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads and writes {@code <name>.manifest.json} files. Writes are atomic (temp file + rename) and
 * files are created with mode 0600 (owner read/write only), like the backups themselves.
 */
public final class ManifestStore {
  /**
   * The JSON mapper for manifests and other dbguard documents: ISO-8601 UTC instants, sorted maps.
   */
  public static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ManifestStore() {}

  /** Path of the manifest for a backup name in a directory. */
  public static Path manifestPath(Path directory, String name) {
    return directory.resolve(BackupNaming.manifestFileName(name));
  }

  /**
   * Writes the manifest atomically with mode 0600.
   *
   * @return the manifest path
   * @throws UncheckedIOException when the directory is not writable
   */
  public static Path write(Path directory, BackupManifest manifest) {
    Path target = manifestPath(directory, manifest.name());
    try {
      Path tmp = directory.resolve("." + target.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      SecureFiles.createPrivateFile(tmp);
      Files.write(tmp, JSON.writeValueAsBytes(manifest));
      try {
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write manifest " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads one manifest.
   *
   * @throws DbguardException reason {@code ManifestUnreadable} when missing or not valid JSON
   */
  public static BackupManifest read(Path manifestFile) {
    try {
      return JSON.readValue(manifestFile.toFile(), BackupManifest.class);
    } catch (IOException e) {
      throw new DbguardException(
          "ManifestUnreadable",
          "cannot read backup manifest " + manifestFile + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Lists all manifests in a directory (not recursive), skipping unreadable ones. Order:
   * unspecified; callers sort by {@link BackupManifest#completedAt()}.
   */
  public static List<BackupManifest> list(Path directory) {
    List<BackupManifest> out = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return out;
    }
    try (Stream<Path> s = Files.list(directory)) {
      s.filter(p -> p.getFileName().toString().endsWith(BackupNaming.MANIFEST_SUFFIX))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .forEach(
              p -> {
                try {
                  out.add(read(p));
                } catch (DbguardException ignored) {
                  // an unreadable manifest is reported by `backups list`, never used as a restore
                  // source
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The backup file a manifest describes. */
  public static Path backupFile(Path directory, BackupManifest manifest) {
    return directory.resolve(manifest.file());
  }
}
