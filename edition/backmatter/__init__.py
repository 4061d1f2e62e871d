"""The back matter: the index of names, the index of places and a TEI source's own
index, regenerated with this book's pages. All cite pages alike and print alike.

- `locators`: PageRef, Chicago locators and ranges, note locators, letter groups, the
  side an index opens on; shared by both indexes.
- `names`: the index of names (sorting, See/See also, export, the locator preflight);
  the index of places is built and proved by the same functions over the places.
- `source`: the source's index with this book's pages, and its preflight.
- `render`: both through templates/index.html and styles/index.css.
"""
