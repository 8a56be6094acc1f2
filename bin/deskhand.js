#!/usr/bin/env node
// deskhand runs its TypeScript sources directly on Node >= 22.18 / 24 (type stripping).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `deskhand needs Node 22.18 or newer (this is ${process.versions.node}). ` +
      'Run it through npm (`npx deskhand …` or `npm start`), which uses the Node 24 installed with the project.\n',
  );
  process.exit(1);
}
const { main } = await import('../src/cli.ts');
// Exit when the command is done, even if a library left a timer or socket behind
// (stdout and stderr are synchronous for files and pipes on POSIX, so nothing is lost).
process.exit(await main(process.argv));
