// A worker thread of the replication pool (piscina): worker threads do not inherit the main
// thread's tsx hooks, so register them here, then load the TypeScript task.
import { register } from 'tsx/esm/api';

register();
const task = await import('./replication-task.ts');

export default task.runReplication;
