package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The gate's plain arguments read without picocli ({@link GateArgs}) give exactly what picocli
 * parses, and everything else is left to picocli.
 */
class GateArgsTest {

  /** What picocli sets on a gate for {@code args} (the log format is applied, not kept). */
  private static GateArgs picocli(String... args) {
    CommandLine cl = Main.gateCommandLine();
    cl.parseArgs(args);
    GateCommand g = cl.getCommand();
    return new GateArgs(
        g.migration, g.image, g.namespace, g.timeoutSeconds, g.terminationLog, null);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--migration shop --image app:v1",
        "--migration=shop --image=app:v1 --namespace=prod",
        "--image app:v1 --namespace prod --migration shop --timeout 600",
        "--migration shop --image app:v1 --termination-log /dev/termination-log --log-format json",
        // (then back to text for the tests that follow)
        "--migration shop --image registry.example/app@sha256:ab --timeout=0 --log-format=text",
      })
  void plainArgumentsAreReadAsPicocliReadsThem(String line) {
    String[] args = line.split(" ");
    GateArgs plain = GateArgs.plain(args);
    assertThat(plain).isNotNull();
    assertThat(plain)
        .usingRecursiveComparison()
        .ignoringFields("logFormat")
        .isEqualTo(picocli(args));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--migration shop --image a:1 --help", // help: picocli prints it
        "-h",
        "--version",
        "--migration shop --migration other --image a:1", // repeated
        "--migration shop --image a:1 --frobnicate 1", // unknown
        "--migration shop --image a:1 extra", // positional
        "--image a:1", // --migration missing
        "--migration shop", // --image missing
        "--migration= --image a:1",
        "--migration shop --image", // no value
        "--migration shop --image a:1 --timeout soon", // not a number
        "--migration shop --image a:1 --log-format yaml", // not a format
      })
  void anythingElseIsLeftToPicocli(String line) {
    assertThat(GateArgs.plain(line.split(" "))).isNull();
  }

  /** A gate option added later is not read here until GateArgs knows it: it goes to picocli. */
  @org.junit.jupiter.api.Test
  void everyOptionOfTheGateIsKnown() {
    List<String> names = new ArrayList<>();
    for (Field f : GateCommand.class.getDeclaredFields()) {
      CommandLine.Option o = f.getAnnotation(CommandLine.Option.class);
      if (o != null) {
        names.addAll(List.of(o.names()));
      }
    }
    names.add("--log-format"); // inherited from `dbguard`, added by Main.gateCommandLine
    assertThat(GateArgs.OPTIONS).containsExactlyInAnyOrderElementsOf(names);
  }
}
