/**
 * The import graph of src/ as rules (`npm run lint:deps`, part of `npm test` and so of CI).
 *
 * The folders under src/ are floors, lowest first. A file imports only from its own floor or from
 * a lower one; a type or helper that two floors share lives on the lower of the two. No cycle,
 * between files or between folders. cli.ts, the entry, sits alone above the floors.
 *
 * Adding a folder: give it a place in FLOORS (the check refuses a folder it does not know).
 */
const FLOORS = [
  'core', // errors, the clock, the package's own facts
  'util', // small generic helpers (concurrency, proxy routing, HTML text)
  'logging',
  'findings', // the GuardDuty finding in our terms: model, key, cleaning, readers, severity, criteria
  'config', // app.config → AppConfig
  'store', // SQLite
  'regions', // AWS: FindingsSource and its SDK adapter
  'health', // metrics, /healthz and /readyz, the listener state they show
  'soar', // SOAR: CaseSystem and its HTTP adapter
  'artifacts', // finding → artifacts
  'datatables', // finding → data-table rows
  'incidents', // finding → incident (fields, note, templates)
  'sync', // one finding's sync paths
  'poller', // one cycle over the regions
  'functions', // the SOAR functions: definitions, handlers, the STOMP listener
  'setup', // what SOAR lacks (fields, tables, artifact types, functions) and how to add it
  'apphost', // the App Host package
  'app', // the composition root: builds the app, the cycle's deps and the daemon
  'commands', // the CLI's commands, thin: parse, call the app, print
];

/** The CLI's commands, one file each in src/commands/ (`<command>.ts`, its parts `<command>-*.ts`). */
const COMMANDS = ['check', 'demo', 'emulate', 'healthcheck', 'once', 'package', 'run', 'setup', 'status'];

/** @param {readonly string[]} names */
const group = (names) => `(${names.join('|')})`;

const layering = FLOORS.slice(0, -1).map((floor, i) => ({
  name: `floor-${floor}`,
  comment: `src/${floor}/ imports only from ${i === 0 ? 'itself' : `itself and the floors below it (${FLOORS.slice(0, i).join(', ')})`}.`,
  severity: 'error',
  from: { path: `^src/${floor}/` },
  to: { path: `^src/${group(FLOORS.slice(i + 1))}/` },
}));

export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No cycle between files: move the shared type or helper down to a file both import.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment: 'No cycle between folders: the folders form a stack.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layering,
    {
      name: 'floor-unknown',
      comment: `Every folder under src/ has a floor (FLOORS in .dependency-cruiser.mjs): ${FLOORS.join(', ')}.`,
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/[^/]+/', pathNot: `^src/${group(FLOORS)}/` },
    },
    {
      name: 'no-command-imports-a-command',
      comment: `A command (${COMMANDS.join(', ')}) is imported only by cli.ts: what two commands share lives in src/app/ or below, or in a helper of src/commands/ that no command owns.`,
      severity: 'error',
      from: { path: '^src/commands/([a-z]+)' },
      to: { path: `^src/commands/${group(COMMANDS)}\\.ts$`, pathNot: '^src/commands/$1\\.ts$' },
    },
    {
      name: 'no-import-of-the-entry',
      comment: 'Nothing imports the files at the src/ root (the CLI entry).',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'emulators-only-in-commands',
      comment: 'Only the commands that start them (demo, emulate) import the emulators; nothing in src/ imports the tests or the bench.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/commands/' },
      to: { path: '^(emulators|test|bench)/' },
    },
  ],
  options: {
    // Type-only imports count: most knots were types living a floor too high.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|emulators|test|bench)/',
    reporterOptions: { text: { highlightFocused: true } },
  },
};
