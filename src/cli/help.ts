/** The text of `--help` for each command. Keep it true to the flags in run.ts and validate.ts. */
export const VERSION_TEXT = 'microsim';

export const HELP = {
  main: `microsim — a deterministic simulator of microservice architectures

Usage:
  microsim run <scenario> [options]     run a scenario: the live dashboard in a terminal,
                                        headless (a printed summary) otherwise
  microsim validate <scenario>          check a scenario file without running it
  microsim list [folder]                the scenarios (the shipped ones by default), one line each
  microsim explain <scenario>           a scenario's story and topology in plain language
  microsim tour [folder]                the seven lessons, one after another: in a terminal in the
                                        dashboard with narration, otherwise their measured contrasts
  microsim help [command]               show help for a command
  microsim --version                    print the version

Scenario files are YAML, JSON, or TypeScript modules (see docs/en/scenario-format.md).

Exit codes:
  0  success
  1  the run completed but an expectation of the scenario (expect:) failed
  2  bad input (scenario file or command-line flags)
  3  the run stopped early (a queue grew without bound, an event or wall-time limit
     was hit, simulated time stopped advancing, or you quit the dashboard before the end)
  4  internal error (a bug in microsim: please report it)
`,
  run: `Usage: microsim run <scenario> [options]

In a terminal, opens the live dashboard: services and their instances, breakers, queues,
charts and notable events as the run goes, paced at --speed; press ? for the keys (pause,
step, speed, kill an instance, add latency or errors, scale, save the keys' actions as a
timeline, quit). When the run ends it shows the expectations; q quits. See docs/en/dashboard.md.

Headless (with --no-ui, when standard output is not a terminal, when CI is set, or with
--json to standard output) it runs as fast as it can and prints a summary table: workloads,
services, autoscaling decisions, capacity and cost, calls with policies, circuit breakers,
faults (time to detect and to recover, blast radius), messaging and the scenario's
expectations, each with ✓ or ✗ and the measured value. Sections with nothing to report are
left out. Either way, the summary is printed at the end and any ✗ makes the exit code 1.

Options:
  --seed <N>          override the scenario's seed (a non-negative integer)
  --duration <D>      override the scenario's duration (e.g. 30s, 10m, 2h); faults and
                      expectation windows must still fit in it
  --json [FILE]       write the results document (JSON, schemaVersion 1) to FILE,
                      or to standard output when FILE is omitted or "-"
  --quiet             do not print the summary table
  --events <FILE>     write every signal of the run to FILE as JSON lines, streamed as the run
                      goes (see docs/en/results-format.md, "The event log")
  --csv <DIR>         write the time series to DIR/timeseries.csv (the folder is created)
  --lang <en|es>      language of the dashboard, of the narration, and of the scenario
                      description and expectation names in the summary (default: es when
                      the locale — LC_ALL, LC_MESSAGES or LANG — is Spanish, else en)
  --no-ui             run headless even in a terminal
  --speed <S>         dashboard pace: simulated seconds per wall second, 0.1 to 1000,
                      or max for as fast as possible (default 1)
  -h, --help          show this help

Examples:
  microsim run scenarios/mm1.yaml
  microsim run scenarios/mm1.yaml --seed 7 --duration 1h --json results.json
  microsim run scenarios/mm1.yaml --quiet --json > results.json
  microsim run scenarios/06-fault-tolerance/cascade-contained.yaml --speed 5 --lang es
  microsim run scenarios/06-fault-tolerance/cascade-contained.yaml --no-ui
`,
  list: `Usage: microsim list [folder] [options]

Lists the scenario files (.yaml, .yml, .json) under the folder — by default the scenarios
shipped with microsim — grouped by folder, each with the first sentence of its description.
A file that does not load is listed with its first problem, and the exit code is then 2.

Options:
  --lang <en|es>      language of the descriptions (default: from the locale)
  -h, --help          show this help
`,
  explain: `Usage: microsim explain <scenario> [options]

Prints the scenario's story (its description) and what it holds in plain language: the load,
each service with what its endpoints do and call (publishes and consumed queues included),
the brokers, the faults, the rollouts and what the scenario expects.

Options:
  --lang <en|es>      language (default: from the locale)
  -h, --help          show this help
`,
  tour: `Usage: microsim tour [folder] [options]

Plays the lessons — the shipped ones (scenarios/01-decentralization … 07-evolution) or those
under the folder (lesson folders named like 01-topic, each with a lesson.yaml; see
docs/en/lessons.md).

In a terminal: a menu of the lessons (↑/↓ and Enter, or a lesson's number), then for each
lesson its claim and scenarios, each scenario in the live dashboard with its narration (it
pauses for the class; Enter goes on), and after them the lesson's measured contrast. Enter
goes on, s skips a lesson (or the rest of one), q quits the tour; in a dashboard, q ends that
scenario. Without a keyboard each screen goes on by itself.

Headless (--no-ui, standard output not a terminal, or CI set): runs every scenario of each
lesson with its own seed and prints each lesson's claim, its contrast table and whether the
scenarios' expectations held. The exit code is 1 when one failed.

Options:
  --lesson <N>        play only lesson N (repeat or use commas: --lesson 2,5)
  --skip <N>          leave lesson N out (repeat or use commas)
  --lang <en|es>      language (default: from the locale)
  --speed <S>         dashboard pace, as for run (default 1)
  --no-ui             print the measured contrasts instead of playing the dashboards
  -h, --help          show this help

Examples:
  microsim tour
  microsim tour --lang es --lesson 6
  microsim tour --no-ui
`,
  validate: `Usage: microsim validate <scenario>

Parses and checks the scenario file (schema, units, references) without running it.
Prints "ok" and a one-line overview, or every problem found with its file, line and column.

Options:
  -h, --help          show this help
`,
} as const;
