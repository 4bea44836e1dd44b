package io.dbguard.testcluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A stand-in "image" for {@link LocalNodeIT}: {@code EchoMain <file> <words…>} writes the words,
 * space-separated, and the value of {@code $GREETING} to {@code <file>} and exits with {@code
 * $EXIT_CODE} (default 0).
 */
public final class EchoMain {
  private EchoMain() {}

  public static void main(String[] args) throws Exception {
    String text =
        String.join(" ", Arrays.asList(args).subList(1, args.length))
            + " "
            + System.getenv("GREETING");
    Files.writeString(Path.of(args[0]), text, StandardCharsets.UTF_8);
    String code = System.getenv("EXIT_CODE");
    System.exit(code == null ? 0 : Integer.parseInt(code));
  }
}
