/** Reading SVG in the tests: well-formedness, and the elements and attributes it holds. */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export function isWellFormed(xml: string): true | string {
  const result = XMLValidator.validate(xml);
  return result === true ? true : `${result.err.code}: ${result.err.msg} (line ${result.err.line})`;
}

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly text: string;
}

/** Every element of the document, depth first, with its attributes and direct text, entities decoded. */
export function elements(xml: string): XmlElement[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    attributesGroupName: ":@",
    preserveOrder: true,
    htmlEntities: true,
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
  });
  const found: XmlElement[] = [];
  const walk = (nodes: unknown[]) => {
    for (const node of nodes as Record<string, unknown>[]) {
      const name = Object.keys(node).find((key) => key !== ":@");
      if (!name || name === "#text") continue;
      const children = node[name] as Record<string, unknown>[];
      const text = children
        .filter((child) => "#text" in child)
        .map((child) => String(child["#text"]))
        .join("");
      found.push({ name, attributes: (node[":@"] ?? {}) as Record<string, string>, text });
      walk(children);
    }
  };
  walk(parser.parse(xml) as unknown[]);
  return found;
}
