import { Command } from 'commander';
import { configFromEnvironment } from './config/config.env.ts';
import { DeskhandError, describeError } from './shared/errors.ts';
import { createLogger } from './shared/logger.ts';

/**
 * The command line. Every command loads configuration first, so a bad variable stops
 * it with a sentence naming the variable; nothing connects until a command runs.
 */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('deskhand')
    .description('An email-first back-office assistant with its own mailbox.')
    .showHelpAfterError();

  program
    .command('demo')
    .description('run the bundled sample mailbox through the pipeline (no network, nothing sent)')
    .option('--json', 'machine-readable output')
    .option('--dir <path>', 'a directory of .eml files instead of the bundled one')
    .action(async (o) => {
      const { demoCommand } = await import('./commands/demo.command.ts');
      exitCode = await demoCommand({ json: o.json, dir: o.dir });
    });
  program
    .command('shadow <source>')
    .description(
      'run your past mail through the whole pipeline with nothing sent and nothing moved; prints a summary and writes report.html',
    )
    .option('--out <dir>', 'output directory: database, position in the source, report.html', 'shadow-report')
    .option('--fresh', 'start over instead of continuing the run in --out')
    .option('--now <iso>', "the run's clock starts at this instant, e.g. 2026-03-17T12:00:00Z (default: now)")
    .option(
      '--dns',
      "verify the owner's DKIM signatures with DNS lookups (default: trusted Authentication-Results only)",
    )
    .addHelpText(
      'after',
      `
<source> is one of:
  DIR           a directory of .eml files (read in name order)
  FILE.eml      a single message
  FILE.mbox     an mbox file, known by its first "From " line (mboxo or mboxrd; streamed, any size)
  MAILDIR       a Maildir (a directory with cur/ and new/)
  imap:FOLDER   a folder of the configured IMAP account (IMAP_*), read-only: opened with EXAMINE,
                no flags set, nothing moved

Nothing is sent (no SMTP), nothing is moved, no Redis: the pipeline runs in-process on an embedded
database in --out. Run the same command again to continue an interrupted run; --fresh starts over.
The model (OPENAI_*/LLM_MODEL) is used if configured, as in live mode.

Exit codes: 0 done, 64 bad --now, 66 source missing or unreadable, 73 output directory in use or
not a shadow run's, 78 bad configuration, 130 interrupted (the report covers what was done).`,
    )
    .action(async (source, o) => {
      const { shadowCommand } = await import('./commands/shadow.command.ts');
      exitCode = await shadowCommand({ source, out: o.out, fresh: o.fresh, now: o.now, dns: o.dns });
    });
  program
    .command('triage <file>')
    .description('triage one .eml file')
    .option('--json', 'print the contract JSON')
    .action(async (file, o) => {
      const { triageCommand } = await import('./commands/triage.command.ts');
      exitCode = await triageCommand(configFromEnvironment(), file, o);
    });
  program
    .command('extract <file>')
    .description('document fields from a PDF, e-invoice XML, image or .eml file')
    .option('--json', 'print the contract JSON')
    .action(async (file, o) => {
      const { extractCommand } = await import('./commands/extract.command.ts');
      exitCode = await extractCommand(configFromEnvironment(), file, o);
    });
  program
    .command('po')
    .description('purchase orders')
    .command('import <file>')
    .description('import purchase orders from a CSV file (number, vendor, amount, currency…)')
    .action(async (file) => {
      const { poImportCommand } = await import('./commands/documents.command.ts');
      exitCode = await poImportCommand(configFromEnvironment(), file);
    });
  program
    .command('docs')
    .description('filed documents')
    .command('search <words...>')
    .description('find documents by vendor, number or words in them')
    .option('--json', 'machine-readable output')
    .option('--limit <n>', 'at most n results', '20')
    .action(async (words, o) => {
      const { docsSearchCommand } = await import('./commands/documents.command.ts');
      exitCode = await docsSearchCommand(configFromEnvironment(), words, o);
    });
  program
    .command('digest')
    .description("today's digest: --print shows it (stores nothing), --send sends it now (once per day)")
    .option('--print', 'print it, store nothing')
    .option('--send', 'send it now; a second --send the same day does nothing')
    .option('--html', 'with --print: the HTML part')
    .option('--json', 'machine-readable output')
    .action(async (o) => {
      const { digestCommand } = await import('./commands/digest.command.ts');
      exitCode = await digestCommand(configFromEnvironment(), o);
    });
  program
    .command('status')
    .description('metrics (today, last 7 days), queues, open approvals and unsent mail')
    .option('--json', 'machine-readable output')
    .action(async (o) => {
      const { statusCommand } = await import('./commands/status.command.ts');
      exitCode = await statusCommand(configFromEnvironment(), o);
    });
  program
    .command('journal')
    .description('the audit trail, oldest first, with what each entry links to')
    .option('--since <when>', 'from this ISO date/time, or a span back from now: 90m, 24h, 7d, 2w')
    .option('--thread <id>', 'only entries about this thread')
    .option('--message <id>', 'only entries about this message (row id or Message-ID)')
    .option('--limit <n>', 'at most n entries (1-1000)', '100')
    .option('--after <id>', 'continue after this entry id (the next page)')
    .option('--json', 'machine-readable output')
    .action(async (o) => {
      const { journalCommand } = await import('./commands/journal.command.ts');
      exitCode = await journalCommand(configFromEnvironment(), o);
    });
  program
    .command('invoices')
    .description('invoices')
    .command('export')
    .description('export invoices for the accountant')
    .requiredOption('--csv', 'CSV (RFC 4180) to standard output')
    .option('--from <date>', 'issued on or after YYYY-MM-DD')
    .option('--to <date>', 'issued on or before YYYY-MM-DD')
    .action(async (o) => {
      const { invoicesExportCommand } = await import('./commands/documents.command.ts');
      exitCode = await invoicesExportCommand(configFromEnvironment(), o);
    });
  program
    .command('migrate')
    .description('apply database migrations')
    .action(async () => {
      const { openDatabase } = await import('./db/db.ts');
      const { migrate } = await import('./db/migrator.ts');
      const config = configFromEnvironment();
      const h = await openDatabase(config.database);
      try {
        const applied = await migrate(h);
        process.stdout.write(
          applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n',
        );
      } finally {
        await h.close();
      }
    });
  program
    .command('doctor')
    .description('check configuration and connectivity')
    .action(async () => {
      const { doctorCommand } = await import('./commands/doctor.command.ts');
      exitCode = await doctorCommand(configFromEnvironment());
    });
  for (const [name, roles, desc] of [
    ['start', { watch: true, work: true }, 'watcher + workers in one process'],
    ['worker', { watch: false, work: true }, 'workers only (scale out)'],
    ['watch', { watch: true, work: false }, 'mailbox watcher only'],
  ] as const) {
    program
      .command(name)
      .description(desc)
      .action(async () => {
        const { liveCommand } = await import('./commands/live.command.ts');
        const config = configFromEnvironment();
        exitCode = await liveCommand(config, createLogger(config.env.LOG_LEVEL), roles);
      });
  }

  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.stderr.write(`deskhand: ${err instanceof DeskhandError ? err.message : describeError(err)}\n`);
    return err instanceof DeskhandError && err.code === 'CONFIG_INVALID' ? 78 : 1;
  }
  return exitCode;
}
