package io.dbguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbguard.testcluster.TestCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator demo as {@code scripts/operator-demo.sh} runs it: the packaged {@code
 * target/dbguard-operator-demo.jar} in a child JVM from the repository root, with its own {@code
 * java.io.tmpdir} so that everything it leaves behind (run directory, etcd data, Helm's and
 * SQLite's native libraries) and every process it started can be found afterwards.
 */
class OperatorDemoIT {
  @TempDir Path work;

  @Test
  void everyStageReachesItsOutcomeAndNothingIsLeftBehind() throws Exception {
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    Path json = work.resolve("result.json");
    Demo demo = Demo.start(tmp, "--stage-timeout", "240", "--result-json", json.toString());
    int exit = demo.awaitExit(900);

    assertThat(exit).as("exit code; output:%n%s", demo.output()).isZero();
    JsonNode result = new ObjectMapper().readTree(json.toFile());
    JsonNode stages = result.get("stages");
    assertThat(stages).hasSize(3);

    // 1.0 on a new database: migrated and seeded without a backup, the gate opened
    JsonNode r1 = stages.get(0);
    assertThat(r1.get("release").asText()).isEqualTo("1.0");
    assertThat(r1.get("phase").asText()).isEqualTo("Succeeded");
    assertThat(r1.get("ready").asText()).isEqualTo("True");
    assertThat(r1.get("backup").asText()).as("a new database has nothing to back up").isEmpty();
    assertThat(r1.get("gateExit").asInt()).isZero();
    assertThat(r1.get("before").size()).isZero();
    assertThat(rows(r1.get("after"), "customers")).isEqualTo(120);
    assertThat(rows(r1.get("after"), "orders")).isEqualTo(246);
    assertThat(rows(r1.get("after"), "flyway_schema_history")).isEqualTo(2);

    // 1.2: V5 fails, the backup is restored, the data is identical, the gate refuses with 50
    JsonNode r2 = stages.get(1);
    assertThat(r2.get("release").asText()).isEqualTo("1.2");
    assertThat(r2.get("phase").asText()).isEqualTo("RolledBack");
    assertThat(r2.get("reason").asText()).isEqualTo("MigrationFailed");
    assertThat(r2.get("ready").asText()).isEqualTo("False");
    assertThat(r2.get("message").asText()).contains("V5__backfill_coupon_usage.sql");
    assertThat(r2.get("backup").asText()).startsWith("shop_");
    assertThat(r2.get("after"))
        .as("table by table, content hashes included")
        .isEqualTo(r2.get("before"));
    assertThat(r2.get("after").has("coupons")).isFalse();
    assertThat(r2.get("gateExit").asInt()).isEqualTo(50);
    assertThat(r2.get("gateMessage").asText()).contains("RolledBack").contains("shop:1.2");

    // 1.2.1, the fix: V3, V4 and V5 applied, the gate opened
    JsonNode r3 = stages.get(2);
    assertThat(r3.get("release").asText()).isEqualTo("1.2.1");
    assertThat(r3.get("phase").asText()).isEqualTo("Succeeded");
    assertThat(r3.get("ready").asText()).isEqualTo("True");
    assertThat(r3.get("backup").asText())
        .startsWith("shop_")
        .isNotEqualTo(r2.get("backup").asText());
    assertThat(r3.get("gateExit").asInt()).isZero();
    assertThat(rows(r3.get("after"), "coupons")).isEqualTo(2);
    assertThat(rows(r3.get("after"), "flyway_schema_history")).isEqualTo(5);
    assertThat(rows(r3.get("after"), "customers")).isEqualTo(120);

    // kubectl get dbmig-style progress was printed, ending with the real kubectl's view
    assertThat(demo.output())
        .contains("NAME   PHASE       READY  IMAGE")
        .contains("All three stages as expected")
        .containsPattern("shop +Restoring +False +shop:1\\.2 ")
        .containsPattern("databasemigration.dbguard.io/shop +Succeeded +True +shop:1\\.2\\.1");
    assertNothingLeftBehind(demo, tmp, result.get("runDir").asText());
  }

  /**
   * Ctrl-C (SIGINT) while the first release runs: control plane, operator and Job pods are up, and
   * Helm's Go runtime is loaded (it takes SIGINT over unless the demo gives it back to the JVM).
   */
  @Test
  void ctrlCStopsEveryProcessAndDeletesEverything() throws Exception {
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    Demo demo = Demo.start(tmp, "--stage-timeout", "240");
    demo.awaitLine("==> Release 1.0", 300);
    Thread.sleep(3000);
    new ProcessBuilder("kill", "-INT", String.valueOf(demo.process.pid())).start().waitFor();
    int exit = demo.awaitExit(120);

    assertThat(exit).as("exit code after SIGINT; output:%n%s", demo.output()).isEqualTo(130);
    assertThat(demo.output()).contains("interrupted: stopping every process");
    assertNothingLeftBehind(demo, tmp, null);
  }

  private static long rows(JsonNode tables, String table) {
    assertThat(tables.has(table)).as("table %s in %s", table, tables).isTrue();
    return tables.get(table).get("rows").asLong();
  }

  /** No process mentions the child's temp directory, and the directory is empty. */
  private static void assertNothingLeftBehind(Demo demo, Path tmp, String runDir)
      throws IOException, InterruptedException {
    if (runDir != null) {
      assertThat(Path.of(runDir)).startsWithRaw(tmp).doesNotExist();
    }
    List<String> left = new ArrayList<>();
    // the watchdogs kill what they supervise within ~1 s of the JVM's end
    for (int i = 0; i < 50; i++) {
      left = processesMentioning(tmp.toString());
      if (left.isEmpty()) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(left).as("processes still running from %s", tmp).isEmpty();
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList())
          .as("left in java.io.tmpdir of the demo; output:%n%s", demo.output())
          .isEmpty();
    }
  }

  private static List<String> processesMentioning(String text) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(text)).orElse(false))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .toList();
  }

  /** The demo jar in a child JVM, its output collected line by line. */
  private record Demo(Process process, List<String> lines) {
    static Demo start(Path tmp, String... args) throws IOException {
      Path root = TestCluster.repoRoot();
      Path jar = root.resolve("operator-demo/target/dbguard-operator-demo.jar");
      assertThat(jar).as("built by the package phase").exists();
      List<String> argv = new ArrayList<>();
      argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      argv.add("-Djava.io.tmpdir=" + tmp);
      argv.add("-jar");
      argv.add(jar.toString());
      argv.addAll(List.of(args));
      ProcessBuilder pb =
          new ProcessBuilder(argv).directory(root.toFile()).redirectErrorStream(true);
      pb.environment().put("TMPDIR", tmp.toString());
      Process p = pb.start();
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    lines.add(line);
                    System.out.println("[demo] " + line);
                  }
                } catch (IOException e) {
                  lines.add("(output: " + e + ")");
                }
              },
              "operator-demo-output");
      reader.setDaemon(true);
      reader.start();
      return new Demo(p, lines);
    }

    int awaitExit(long seconds) throws InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError("the demo did not end within " + seconds + " s:\n" + output());
      }
      Thread.sleep(200); // the reader drains the last lines
      return process.exitValue();
    }

    void awaitLine(String prefix, long seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < deadline) {
        if (lines.stream().anyMatch(l -> l.startsWith(prefix))) {
          return;
        }
        if (!process.isAlive()) {
          throw new AssertionError("the demo ended before '" + prefix + "':\n" + output());
        }
        Thread.sleep(200);
      }
      throw new AssertionError("no line '" + prefix + "' within " + seconds + " s:\n" + output());
    }

    String output() {
      return String.join("\n", lines);
    }
  }
}
