/**
 * A tiny DOM over fast-xml-parser with the three operations host-installer's answerfile.py uses
 * through xcp.xmlunwrap: getElementsByTagName (all descendants, document order), getText (the
 * element's own text children, stripped) and getAttribute ('' when absent).
 *
 * Well-formedness follows what Python's xml.dom.minidom (expat) rejects: syntax errors, more than
 * one root element, and undefined entities, which fast-xml-parser's validator lets through.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface XmlElement {
    name: string;
    attrs: Record<string, string>;
    children: XmlNode[];
}

export type XmlNode = XmlElement | { text: string };

export class XmlSyntaxError extends Error {
    override name = "XmlSyntaxError";
}

const PREDEFINED_ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)[^;\s<]*;?/;

/** Parses a document and returns its root element; throws XmlSyntaxError saying what is wrong. */
export function parseXmlDocument(text: string): XmlElement {
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
        throw new XmlSyntaxError(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
    }
    const body = text.replace(/<!--[\s\S]*?-->/g, "").replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "");
    const entity = PREDEFINED_ENTITY.exec(body);
    if (entity && !/<!DOCTYPE/i.test(body)) throw new XmlSyntaxError(`undefined entity ${entity[0]}`);
    const parser = new XMLParser({
        preserveOrder: true,
        ignoreAttributes: false,
        attributeNamePrefix: "",
        parseTagValue: false,
        parseAttributeValue: false,
        trimValues: false,
        processEntities: true,
    });
    const nodes = convert(parser.parse(text) as RawNode[]);
    const roots = nodes.filter((n): n is XmlElement => "name" in n && !n.name.startsWith("?"));
    if (roots.length !== 1) throw new XmlSyntaxError(roots.length === 0 ? "no root element" : `junk after the document element <${roots[0].name}>: <${roots[1].name}>`);
    return roots[0];
}

type RawNode = Record<string, unknown>;

function convert(raw: RawNode[]): XmlNode[] {
    const out: XmlNode[] = [];
    for (const node of raw) {
        for (const [key, value] of Object.entries(node)) {
            if (key === ":@") continue;
            if (key === "#text") { out.push({ text: String(value) }); continue; }
            const attrs = (node[":@"] ?? {}) as Record<string, string>;
            out.push({ name: key, attrs, children: Array.isArray(value) ? convert(value as RawNode[]) : [] });
        }
    }
    return out;
}

const isElement = (n: XmlNode): n is XmlElement => "name" in n;

/** Every descendant element named one of `tags`, tag by tag (as xmlunwrap concatenates them). */
export function elementsByTagName(el: XmlElement, tags: string[]): XmlElement[] {
    const found: XmlElement[] = [];
    for (const tag of tags) {
        const walk = (e: XmlElement) => {
            for (const c of e.children) {
                if (!isElement(c)) continue;
                if (c.name === tag) found.push(c);
                walk(c);
            }
        };
        walk(el);
    }
    return found;
}

/** The element's own text children joined and stripped (xmlunwrap.getText). */
export function textOf(el: XmlElement): string {
    return el.children.filter((c): c is { text: string } => !isElement(c)).map((c) => c.text).join("").trim();
}

/** The first non-empty attribute among `names`, or undefined (xmlunwrap.getStrAttribute). */
export function attributeOf(el: XmlElement, names: string[]): string | undefined {
    for (const n of names) {
        const v = el.attrs[n];
        if (v !== undefined && v !== "") return v;
    }
    return undefined;
}
