// The logged-in user's saved state, one JSON document kept by the server (GET / PUT
// /api/dashboards):
//   {"dashboards": [{"name": "Sales", "tiles": [{"title": "...", "sql": "...",
//                    "chart": {"type": "bar", "x": "col", "y": ["col2"]}, "refresh_seconds": 60}]}],
//    "saved_queries": [{"name": "...", "sql": "..."}]}
// Updates read the newest copy first and write the whole document back, so two tabs of the
// same user lose at most a change made in the same instant.
'use strict';

const UserDocument = {
  current: { dashboards: [], saved_queries: [] },

  normalize(data) {
    const doc = data && typeof data === 'object' && !Array.isArray(data) ? data : {};
    if (!Array.isArray(doc.dashboards)) doc.dashboards = [];
    if (!Array.isArray(doc.saved_queries)) doc.saved_queries = [];
    for (const d of doc.dashboards) if (!Array.isArray(d.tiles)) d.tiles = [];
    return doc;
  },

  async load() {
    UserDocument.current = UserDocument.normalize(await Api.getDashboards());
    return UserDocument.current;
  },

  // change(doc) edits the document in place; then it is stored.
  async update(change) {
    const doc = await UserDocument.load();
    change(doc);
    await Api.putDashboards(doc);
    UserDocument.current = doc;
    return doc;
  },

  dashboard(doc, name) { return doc.dashboards.find((d) => d.name === name); },
};
