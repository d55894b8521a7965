/**
 * A study that cannot go on because of its input: a scenario that does not validate in a worker
 * thread, or a scenario file that changed while the study ran. Carries a message for the user
 * (worker threads pass errors as plain `Error`s, so the scenario's own error class is lost there).
 */
export class ReplicationInputError extends Error {
  override readonly name = 'ReplicationInputError';
}
