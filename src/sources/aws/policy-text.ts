import type { PolicyDocument } from '../../policy/types';

/**
 * A policy as IAM or Organizations returns it: IAM URL-encodes documents (RFC 3986), Organizations returns plain
 * JSON text. Returns the JSON, or null with the reason it could not be read.
 */
export function decodePolicyDocument(text: string | undefined): { document: PolicyDocument | null; error?: string } {
  if (text === undefined || text === '') return { document: null, error: 'no policy document was returned' };
  let json = text.trim();
  if (!json.startsWith('{')) {
    try {
      json = decodeURIComponent(json);
    } catch {
      return { document: null, error: 'the policy document is not valid URL-encoded text' };
    }
  }
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { document: null, error: 'the policy document is not a JSON object' };
    }
    return { document: value as PolicyDocument };
  } catch (err) {
    return { document: null, error: `the policy document is not valid JSON: ${(err as Error).message}` };
  }
}
