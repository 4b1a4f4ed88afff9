/**
 * The answer file as it goes into the ISO: validated (every problem at once), and a plaintext root
 * password replaced by its SHA-512 crypt hash. The salt is derived from the password and the rest
 * of the answer file, so identical inputs give byte-identical ISOs (content addressing and sharing
 * between labs work) while different answer files never share a salt.
 */
import {
    AnswerFile, AnswerFileParseError, parseAnswerFile, renderAnswerFile, TargetProfileId, validateAnswerFile, withHashedRootPassword,
} from "../../answerfile";

export interface NormalisedAnswerFile {
    /** The XML for the ISO; undefined when there are errors. */
    xml?: string;
    /** Every problem, as sentences naming the field (never quoting the password). */
    errors: string[];
}

export function normaliseAnswerFile(value: AnswerFile | string, target?: TargetProfileId): NormalisedAnswerFile {
    let model: AnswerFile;
    if (typeof value === "string") {
        try {
            model = parseAnswerFile(value);
        } catch (err) {
            if (err instanceof AnswerFileParseError) return { errors: [err.message] };
            throw err;
        }
    } else if (value && typeof value === "object" && !Array.isArray(value)) {
        model = value;
    } else {
        return { errors: [`must be an AnswerFile object or its XML text, got ${Array.isArray(value) ? "an array" : typeof value}`] };
    }
    const result = validateAnswerFile(model, { target, rootPasswordWillBeHashed: true });
    if (!result.ok) return { errors: result.errors.map((e) => e.message) };
    if (model.rootPassword?.type !== "plaintext") {
        // Nothing secret to replace: XML text goes in byte for byte, a model is rendered.
        return { xml: typeof value === "string" ? value : renderAnswerFile(model), errors: [] };
    }
    const saltContext = `remastered-iso\0${renderAnswerFile({ ...model, rootPassword: undefined })}`;
    return { xml: renderAnswerFile(withHashedRootPassword(model, { saltContext })), errors: [] };
}
