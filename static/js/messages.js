/* Messages answer one state of a form: when the reader changes what they were about, they go.
   "Posted." goes once the next post is typed; a field's error once that field is edited. */

/* Empty the `message` observable whenever one of `sources` changes. */
export function clearOn(message, ...sources) {
  for (const source of sources) source.subscribe(() => message(''));
}

/* Drop the error of field `name` (and the form's own, under `form`) from the `errors`
   observable (an object of messages by field) whenever `source` changes. */
export function clearFieldOn(errors, name, source, form = 'form') {
  source.subscribe(() => {
    const current = errors();
    if (!(name in current) && !(form in current)) return;
    const rest = { ...current };
    delete rest[name];
    delete rest[form];
    errors(rest);
  });
}
