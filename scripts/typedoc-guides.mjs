// A typedoc plugin that adds the guides in docs/ to the site in reading order.
//
// typedoc.json's "guideOrder" lists the guides in the order the sidebar shows
// them. A listed guide that does not exist yet is left out (typedoc's own
// "projectDocuments" fails the build, under treatWarningsAsErrors, for a path
// that matches nothing); a guide in docs/ that the list does not name comes
// after the listed ones, in file-name order, so a new guide is never dropped.
// Each guide's sidebar name is the `title` of its front matter.
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Application, ParameterType } from "typedoc";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.options.addDeclaration({
    name: "guideOrder",
    help: "The guides (Markdown files) in the order the site lists them; missing ones are skipped, unlisted ones in the same folders follow.",
    type: ParameterType.Array,
    defaultValue: [],
  });
  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    /** @type {string[]} */
    const order = app.options.getValue("guideOrder");
    if (order.length === 0) return;
    const listed = order.map((path) => resolve(path));
    const folders = [...new Set(listed.map((path) => dirname(path)))];
    const unlisted = folders.flatMap((folder) =>
      readdirSync(folder)
        .filter((name) => name.endsWith(".md"))
        .sort()
        .map((name) => join(folder, name))
        .filter((path) => !listed.includes(path)),
    );
    const guides = [...listed.filter((path) => existsSync(path)), ...unlisted];
    app.logger.verbose(`guides in order: ${guides.map((path) => basename(path)).join(", ")}`);
    app.options.setValue("projectDocuments", guides);
  });
}
