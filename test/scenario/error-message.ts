/** For the format tests: the message of the `ScenarioError` that `body` throws. */
import { expect } from 'vitest';
import { ScenarioError } from '../../src/scenario/scenario-error.ts';

export function scenarioErrorMessage(body: () => unknown): string {
  try {
    body();
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).message;
  }
  throw new Error('expected a ScenarioError');
}
