"""Pure normalisers: raw text as a page shows it in, canonical value out."""
