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
  microsim compare <a> <b> [--runs N]   two variants with the same seeds: paired differences with
                                        95% intervals and a verdict per metric
  microsim sweep <scenario> --set P=V   a scenario at each value of one or two parameters: a table
                                        and a chart of chosen metrics against them
  microsim merge <shard.json>...        join the shards of a study (run --runs N --shard i/n)
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
  --report <FILE>     write an HTML report to FILE: one self-contained page that opens offline,
                      with the topology, charts over time (faults shaded, breaker states as
                      bands) and the expectations, labelled in the --lang language (see
                      docs/en/results-format.md, "The HTML report")
  --trace <FILE>      write sampled request traces to FILE as OpenTelemetry OTLP/JSON (for
                      Jaeger or any OTLP tool): a span per request and per visit
  --trace-chrome <FILE>
                      write the same traces in the Chrome trace-event format (open it in
                      ui.perfetto.dev); each request is a process, parallel calls are lanes
  --trace-sample <RATE>
                      share of the requests traced, e.g. 5% or 0.05 (default 1%); chosen by
                      a hash of the seed and the request id, so tracing never changes the
                      run; at most 10,000 traces are kept (see docs/en/results-format.md,
                      "Traces")
  --runs <N>          run N replications with seeds derived from the seed (the first is the
                      seed itself) on worker threads, and print every metric's mean with a
                      95% confidence interval (Student t), beside the closed-form theory value
                      when the scenario is a textbook queue; --json writes every metric's
                      interval and each run's numbers (see docs/en/experiments.md). Exit 1
                      when an expectation failed in any run
  --threads <N>       worker threads for --runs (default: one per core)
  --shard <i/n>       with --runs: run only this machine's part of the study (replications
                      k with k mod n = i − 1); join the parts with microsim merge
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
  microsim run scenarios/06-fault-tolerance/cascade-contained.yaml --no-ui --report report.html
  microsim run scenarios/06-fault-tolerance/retry-storm.yaml --trace-chrome storm.json --trace-sample 5%
  microsim run scenarios/mm1.yaml --duration 20m --runs 20 --json study.json
  microsim run scenarios/mm1.yaml --runs 100 --shard 3/10 --json part3.json
`,
  compare: `Usage: microsim compare <a> <b> [options]

Runs both scenario files N times with the same seeds: run k of a and run k of b share a seed,
so wherever their worlds match they see the same arrivals and the same draws (common random
numbers). Every metric both have is compared pair by pair: the mean of b − a with a 95%
interval (Student t), the change relative to a, and a verdict — better or worse when the
interval excludes zero (for metrics with a better direction: availability up, latency, failures
and cost down), higher or lower for the others, else "no clear difference". The table shows
each workload's availability, throughput, mean, p50 and p99 latency, and the cost; --json has all.
Exit 0 unless a run stopped early (3) or the input is bad (2).

Options:
  --runs <N>          pairs of runs (default 10)
  --seed <N>          base seed (default: a's seed)
  --duration <D>      override both scenarios' duration
  --threads <N>       worker threads (default: one per core)
  --independent       give b other seeds (independent samples), to see what CRN buys
  --lang <en|es>      language of the expectation names (default: from the locale)
  --json [FILE]       write the comparison document to FILE, or to standard output
  --quiet             do not print the table
  -h, --help          show this help

Example:
  microsim compare scenarios/06-fault-tolerance/cascade-uncontained.yaml \
                   scenarios/06-fault-tolerance/cascade-contained.yaml --runs 10
`,
  sweep: `Usage: microsim sweep <scenario> --set <path>=<values> [--set …] [options]

Runs the scenario at every value of one or two parameters (two make a grid) and prints a
table of the chosen metrics and a chart of each against the first parameter. A path names a
field of the scenario file (services.api.replicas, workloads.users.rate); values are a list
(1,2,4 or exp(100ms),const(100ms)) or a range LOW..HIGH:N of N evenly spaced values with units
(50/s..95/s:10). Every point is validated before anything runs. Each point uses the same
seeds (common random numbers), so neighbouring points differ by the parameter, not by luck.

Options:
  --set <path=values> a parameter (once or twice)
  --metric <PATH>     a metric to show, by its path in the results document (repeatable;
                      default: each workload's latencyMs.p99 and availability)
  --runs <N>          runs per point, for means with 95% intervals (default 1)
  --seed <N>          base seed (default: the scenario's)
  --duration <D>      override the duration
  --threads <N>       worker threads (default: one per core)
  --json [FILE]       write the sweep document to FILE, or to standard output
  --report <FILE>     write an HTML page with a chart of each metric (Vega-Lite, offline)
  --quiet             do not print the table and charts
  -h, --help          show this help

Example (the knee of p99 against load):
  microsim sweep scenarios/mm1.yaml --set workloads.arrivals.rate=5/s..9.5/s:10 --duration 30m
`,
  merge: `Usage: microsim merge <shard.json>... [options]

Joins the documents written by microsim run <scenario> --runs N --shard i/n --json FILE on
any number of machines into the document of the whole study: byte for byte the one
microsim run <scenario> --runs N --json would have written. Refuses shards of other studies
(another scenario, seed, duration or N), repeated replications and missing ones.

Options:
  --json [FILE]       write the merged document to FILE, or to standard output
  --lang <en|es>      language of the expectation names (default: from the locale)
  --quiet             do not print the table
  -h, --help          show this help
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
