/**
 * Reads an answer file with Python's xml.dom.minidom, the XML library host-installer parses answer
 * files with, so tests check our escaping against the installer's own parser rather than only
 * against fast-xml-parser. Text is taken the way the installer does: the element's own text nodes
 * joined, then stripped (CDATA and comments are not text).
 *
 * Requires python3 (present on the project's machines for node-gyp).
 */
import { execFileSync } from "node:child_process";

export interface MinidomElement {
    tag: string;
    attrs: Record<string, string>;
    text: string;
}

export interface MinidomDocument {
    top: string;
    attrs: Record<string, string>;
    /** Every element below the top one, in document order. */
    elements: MinidomElement[];
}

const SCRIPT = `
import sys, json, xml.dom.minidom as minidom
doc = minidom.parseString(sys.stdin.buffer.read())
def text(node):
    return "".join(c.data for c in node.childNodes if c.nodeType == c.TEXT_NODE).strip()
top = doc.documentElement
print(json.dumps({
    "top": top.tagName,
    "attrs": dict(top.attributes.items()),
    "elements": [{"tag": e.tagName, "attrs": dict(e.attributes.items()), "text": text(e)} for e in top.getElementsByTagName("*")],
}))
`;

/** Parses `xml` with minidom; throws (with Python's message) when minidom rejects it. */
export function minidomParse(xml: string): MinidomDocument {
    const out = execFileSync("python3", ["-c", SCRIPT], { input: Buffer.from(xml, "utf8"), stdio: ["pipe", "pipe", "pipe"] });
    return JSON.parse(out.toString("utf8")) as MinidomDocument;
}

/** The texts of every element named `tag`, in document order. */
export function textsOf(doc: MinidomDocument, tag: string): string[] {
    return doc.elements.filter((e) => e.tag === tag).map((e) => e.text);
}
