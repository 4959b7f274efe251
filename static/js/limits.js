/* The server's input limits, from its rule book: the page shell carries them as JSON. */
export const LIMITS = Object.freeze(JSON.parse(document.body.dataset.limits));
