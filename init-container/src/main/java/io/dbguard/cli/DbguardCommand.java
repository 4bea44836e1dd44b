package io.dbguard.cli;

import picocli.CommandLine.Command;

/** The top-level {@code dbguard} command; each step is a subcommand. */
@Command(
    name = "dbguard",
    mixinStandardHelpOptions = true,
    description = "Makes database migrations safe to run in production.",
    subcommands = {LintCommand.class, SeedsCommand.class})
public class DbguardCommand {}
