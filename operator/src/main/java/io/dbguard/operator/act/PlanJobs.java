package io.dbguard.operator.act;

import io.dbguard.core.plan.Framework;
import io.dbguard.operator.model.Acknowledgement;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.MigrateSpec;
import io.dbguard.operator.plan.MigrationPlanner;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The plan step's Job ({@code spec.approval}): {@code dbguard plan} in the tool image, read-only.
 *
 * <ul>
 *   <li>built-in SQL runner ({@code migrate.sql}): {@code plan --sql-dir <SQL_DIR>} with the
 *       ConfigMap mounted, as the migrate step has it;
 *   <li>an application command whose framework dbguard recognises ({@link Framework#recognise}:
 *       Django, Rails, Prisma, Alembic, Knex, Sequelize): an init container {@code plan-listing} in
 *       the attempt's image, with the migrate container's environment plus {@code PGOPTIONS=-c
 *       default_transaction_read_only=on}, runs the framework's read-only listing into {@link
 *       #PLAN_DIR} (and copies {@code safety.migrationsPath} there when set, so the pending files
 *       can be analysed); the tool container then reads it: {@code plan --migrate-command <command>
 *       --plan-command 'cat …; exit <its status>' --workdir <PLAN_DIR>/files};
 *   <li>any other command: {@code plan --migrate-command <command>}: the pending migrations are
 *       unknown (a warn notice), the database, cost and role parts are still planned.
 * </ul>
 *
 * Both add {@code --environment}, the acknowledgements of {@code safety.acknowledge} and {@code
 * --termination-log}.
 */
final class PlanJobs {
  /** Where the listing's output, its exit status and the copied migration files are kept. */
  static final String PLAN_DIR = "/var/lib/dbguard/plan";

  static final String LISTING_OUT = PLAN_DIR + "/listing.out";
  static final String LISTING_RC = PLAN_DIR + "/listing.rc";
  static final String FILES_DIR = PLAN_DIR + "/files";

  /** The read-only session setting the listing's PostgreSQL clients get (as {@code plan}'s). */
  static final String READ_ONLY_PGOPTIONS = "-c default_transaction_read_only=on";

  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private PlanJobs() {}

  /**
   * The arguments of {@code dbguard plan} (before {@code --termination-log}).
   *
   * @param source the {@code migrate.fromWorkload} container, or null: its command is the
   *     migration's when {@code migrate.command} is unset (as the migrate step runs it)
   */
  static List<String> args(DatabaseMigrationSpec spec, Container source) {
    List<String> a = new ArrayList<>(List.of("plan"));
    MigrateSpec mig = spec.getMigrate();
    if (mig.getSql() != null) {
      a.addAll(List.of("--sql-dir", JobFactory.SQL_DIR));
    } else {
      String command = commandLine(mig, source);
      a.addAll(List.of("--migrate-command", command));
      if (Framework.recognise(command).isPresent()) {
        a.addAll(
            List.of(
                "--plan-command",
                "cat " + LISTING_OUT + "; exit \"$(cat " + LISTING_RC + ")\"",
                "--workdir",
                FILES_DIR));
      }
    }
    a.addAll(List.of("--environment", MigrationPlanner.environment(spec)));
    if (spec.getSafety() != null && spec.getSafety().getAcknowledge() != null) {
      for (Acknowledgement k : spec.getSafety().getAcknowledge()) {
        if (k.getRule() != null && k.getFile() != null) {
          a.addAll(List.of("--acknowledge", k.getRule() + ":" + k.getFile()));
        }
        if (k.getCommand() != null) {
          a.addAll(List.of("--acknowledge-command", k.getCommand()));
        }
      }
    }
    return a;
  }

  /** {@code args} followed by {@code --termination-log /dev/termination-log}. */
  static List<String> withTerminationLog(List<String> args) {
    List<String> a = new ArrayList<>(args);
    a.addAll(List.of("--termination-log", JobFactory.TERMINATION_LOG));
    return a;
  }

  /**
   * The migrate command as one shell command line: the script of {@code sh -c SCRIPT} (or {@code
   * bash -c}), else command and args joined, each quoted for {@code /bin/sh} when needed. The
   * command is {@code migrate.command}, else the {@code fromWorkload} container's ({@code source},
   * may be null); the args are {@code migrate.args}, as the migrate step runs them. Empty when
   * neither names a command (the image's entry point runs): then nothing can be recognised.
   */
  static String commandLine(MigrateSpec mig, Container source) {
    List<String> words = new ArrayList<>();
    if (mig.getCommand() != null) {
      words.addAll(mig.getCommand());
    } else if (source != null && source.getCommand() != null) {
      words.addAll(source.getCommand());
    }
    if (mig.getArgs() != null) {
      words.addAll(mig.getArgs());
    }
    if (words.size() >= 3
        && List.of("sh", "/bin/sh", "bash", "/bin/bash").contains(words.get(0))
        && "-c".equals(words.get(1))) {
      return words.get(2);
    }
    List<String> quoted = new ArrayList<>();
    for (String w : words) {
      quoted.add(SHELL_SAFE.matcher(w).matches() ? w : "'" + w.replace("'", "'\"'\"'") + "'");
    }
    return String.join(" ", quoted);
  }

  /** Whether the plan Job runs the framework's listing in the application's image first. */
  static boolean runsListing(DatabaseMigrationSpec spec, Container source) {
    return spec.getMigrate().getSql() == null
        && Framework.recognise(commandLine(spec.getMigrate(), source)).isPresent();
  }

  /** The SQL runner's ConfigMap, or the listing's emptyDir, added to the pod and main container. */
  static void mount(
      DatabaseMigrationSpec spec,
      Container source,
      List<Volume> volumes,
      List<VolumeMount> mounts) {
    if (spec.getMigrate().getSql() != null) {
      volumes.add(
          new VolumeBuilder()
              .withName("sql")
              .withNewConfigMap()
              .withName(spec.getMigrate().getSql().getConfigMapName())
              .endConfigMap()
              .build());
      mounts.add(
          new VolumeMountBuilder()
              .withName("sql")
              .withMountPath(JobFactory.SQL_DIR)
              .withReadOnly(true)
              .build());
    } else if (runsListing(spec, source)) {
      volumes.add(new VolumeBuilder().withName("plan").withNewEmptyDir().endEmptyDir().build());
      mounts.add(new VolumeMountBuilder().withName("plan").withMountPath(PLAN_DIR).build());
    }
  }

  /**
   * The init container that runs the framework's listing: {@code app} (the migrate container as the
   * migrate step would run it) with the listing as its command, {@code PGOPTIONS} made read-only,
   * and the listing's output and exit status written to {@link #PLAN_DIR}. It always exits 0: the
   * plan decides from the status it wrote.
   */
  static Container listing(
      DatabaseMigrationSpec spec,
      Container source,
      Container app,
      SecurityContext security,
      Optional<String> path) {
    Framework.Listing listing =
        Framework.recognise(commandLine(spec.getMigrate(), source)).orElseThrow();
    StringBuilder script =
        new StringBuilder("mkdir -p ")
            .append(FILES_DIR)
            .append("; ")
            .append(listing.command())
            .append(" >")
            .append(LISTING_OUT)
            .append(" 2>&1; echo $? >")
            .append(LISTING_RC);
    path.ifPresent(
        p ->
            script
                .append("; cp -R '")
                .append(p.replace("'", "'\"'\"'"))
                .append("'/. ")
                .append(FILES_DIR)
                .append("/ 2>/dev/null")
                .append("; exit 0"));
    if (path.isEmpty()) {
      script.append("; exit 0");
    }
    List<EnvVar> env = new ArrayList<>();
    String pgOptions = READ_ONLY_PGOPTIONS;
    for (EnvVar e : app.getEnv()) {
      if ("PGOPTIONS".equals(e.getName()) && e.getValue() != null) {
        pgOptions = e.getValue() + " " + READ_ONLY_PGOPTIONS;
      } else if (!"PGOPTIONS".equals(e.getName())) {
        env.add(e);
      }
    }
    env.add(new EnvVar("PGOPTIONS", pgOptions, null));
    List<VolumeMount> mounts = new ArrayList<>(app.getVolumeMounts());
    mounts.add(new VolumeMountBuilder().withName("plan").withMountPath(PLAN_DIR).build());
    return new ContainerBuilder(app)
        .withName("plan-listing")
        .withCommand("/bin/sh", "-c", script.toString())
        .withArgs()
        .withEnv(env)
        .withVolumeMounts(mounts)
        .withSecurityContext(security)
        .build();
  }
}
