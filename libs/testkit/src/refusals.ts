import { InvalidInput } from '@dotpha/kernel';

/** The InvalidInput that `act` throws; fails the test if it throws anything else, or nothing. */
export function invalidInputOf(act: () => unknown): InvalidInput {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInput);
    return error as InvalidInput;
  }
  throw new Error('expected the input to be refused');
}
