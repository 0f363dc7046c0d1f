/** asl-validator 4 ships no types: the part of its API the workflow tests use. */
declare module 'asl-validator' {
  interface AslValidation {
    isValid: boolean;
    errors: Array<{ message?: string; path?: string; [field: string]: unknown }>;
  }
  export default function aslValidator(definition: unknown): AslValidation;
}
