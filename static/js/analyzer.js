/* The Analyzer's API as the screens use it; an import's citizens are fetched once and kept
   until an edit changes them. */
import * as api from './api.js';

const citizens = new Map();

export function importPath(importId, ...rest) {
  return ['/imports', encodeURIComponent(importId), ...rest].join('/');
}

/* Every citizen of an import, by `citizen_id`. */
export function citizensOf(importId) {
  const key = String(importId);
  if (!citizens.has(key)) {
    const loading = api.get(importPath(importId, 'citizens')).then((answer) => answer.data);
    loading.catch(() => citizens.delete(key));
    citizens.set(key, loading);
  }
  return citizens.get(key);
}

/* Change fields of one citizen; the kept copy of the import is dropped (relatives change on
   both sides). */
export async function patchCitizen(importId, citizenId, changes) {
  const answer = await api.patch(importPath(importId, 'citizens', citizenId), changes);
  citizens.delete(String(importId));
  return answer.data;
}

/* A refusal with the status the shell turns into its "not found" screen. */
export function notFound(message) {
  return Object.assign(new Error(message), { status: 404 });
}
