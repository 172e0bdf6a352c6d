// The user's configuration files: documents (config/documents and the `documents` setting), TrafficScript
// rules (config/rules/<name>.trafficscript) and data files (config/data). Loaded and parsed here;
// vtmConfig.ts validates them with everything else.
import * as fs from "fs";
import * as path from "path";
import { DocumentError, LoadedDocument, parseDocument } from "./documents";

/** The project directory (where Pulumi.yaml is): `documents` paths are relative to it. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** Where each kind of file lives under the configuration directory. */
export const CONFIG_SUBDIRS = { documents: "documents", rules: "rules", data: "data" } as const;

/** Rule files: the extension says TrafficScript, and cannot be mistaken for TypeScript. */
export const RULE_EXTENSION = ".trafficscript";
const DOCUMENT_EXTENSIONS = [".yaml", ".yml", ".json"];

/** The characters a ConfigMap key may have. */
export const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** A document placed into the watched configuration directory under `key`. */
export interface UserDocument extends LoadedDocument {
    readonly key: string;
}

/** A TrafficScript rule from a file: rule `name`, its text mounted as data key `key`. */
export interface RuleFile {
    readonly name: string;
    readonly key: string;
    readonly source: string;
    readonly text: string;
}

export interface ConfigFiles {
    readonly documents: readonly UserDocument[];
    readonly rules: readonly RuleFile[];
    /** Data files by ConfigMap key (the file name without its extension). */
    readonly data: Readonly<Record<string, string>>;
    /** Where each data key came from, for messages. */
    readonly dataSources: Readonly<Record<string, string>>;
}

/** The files of a directory, sorted, without hidden files and its README.md; none if it does not exist. */
function filesOf(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { withFileTypes: true })
        // A folder's README.md explains the folder; it is not one of its documents, rules or data files.
        .filter((e) => e.isFile() && !e.name.startsWith(".") && e.name.toLowerCase() !== "readme.md")
        .map((e) => e.name)
        .sort();
}

/** How a file is named in messages: relative to the project when it is inside it. */
function label(file: string): string {
    const rel = path.relative(PROJECT_DIR, file);
    return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel.split(path.sep).join("/");
}

/** Why a file's name (or the name a text is given under) cannot be a ConfigMap key. */
function notAKey(source: string, what: "file" | "name" = "file"): string {
    return `${source}: the ${what === "file" ? "file name" : "name"} cannot be a ConfigMap key (use letters, digits, '-', '_' and '.')`;
}

/** A document under ConfigMap key `key`, its text read only once the name is accepted. */
function userDocument(problems: string[], key: string, source: string, text: () => string, what: "file" | "name"): UserDocument | undefined {
    if (!DOCUMENT_EXTENSIONS.includes(path.extname(key).toLowerCase())) {
        problems.push(`${source}: is not a configuration document ${what === "file" ? "" : "name "}(expected a ${DOCUMENT_EXTENSIONS.join(", ")} ${what})`);
        return undefined;
    }
    if (!CONFIGMAP_KEY.test(key)) {
        problems.push(notAKey(source, what));
        return undefined;
    }
    try {
        const content = text();
        return { key, source, text: content, document: parseDocument(content, source) };
    } catch (err) {
        if (!(err instanceof DocumentError)) throw err;
        problems.push(...err.problems);
        return undefined;
    }
}

function loadUserDocument(problems: string[], file: string): UserDocument | undefined {
    return userDocument(problems, path.basename(file), label(file), () => fs.readFileSync(file, "utf8"), "file");
}

/** The document files a `documents` entry names: the file itself, or a directory's document files. */
function documentFiles(problems: string[], entry: string, index: number): string[] {
    const target = path.resolve(PROJECT_DIR, entry);
    if (!fs.existsSync(target)) {
        problems.push(`documents[${index}]: '${entry}' does not exist (paths are relative to ${PROJECT_DIR})`);
        return [];
    }
    if (fs.statSync(target).isDirectory()) {
        return filesOf(target)
            .filter((f) => DOCUMENT_EXTENSIONS.includes(path.extname(f).toLowerCase()))
            .map((f) => path.join(target, f));
    }
    return [target];
}

function loadRules(problems: string[], dir: string): RuleFile[] {
    return filesOf(dir).flatMap((file): RuleFile[] => {
        const source = label(path.join(dir, file));
        if (path.extname(file) !== RULE_EXTENSION) {
            problems.push(`${source}: is not a rule file (rule files end in ${RULE_EXTENSION})`);
            return [];
        }
        if (!CONFIGMAP_KEY.test(file)) {
            problems.push(notAKey(source));
            return [];
        }
        return [{ name: path.basename(file, RULE_EXTENSION), key: file, source, text: fs.readFileSync(path.join(dir, file), "utf8") }];
    });
}

/** Loads every configuration file; throws one DocumentError with every problem. */
export function loadConfigFiles(configDir: string, documentPaths: readonly string[] = []): ConfigFiles {
    const { files, problems } = readConfigFiles(configDir, documentPaths);
    if (problems.length > 0) throw new DocumentError(problems);
    return files;
}

/** Loads every configuration file it can, with a problem for each one it cannot: a broken document does not hide the others' problems. */
export function readConfigFiles(configDir: string, documentPaths: readonly string[] = []): { readonly files: ConfigFiles; readonly problems: readonly string[] } {
    const problems: string[] = [];
    const documentDir = path.join(configDir, CONFIG_SUBDIRS.documents);
    const files = [
        ...filesOf(documentDir).map((f) => path.join(documentDir, f)),
        ...documentPaths.flatMap((entry, i) => documentFiles(problems, entry, i)),
    ];
    const documents = files.flatMap((f) => loadUserDocument(problems, f) ?? []);
    const rules = loadRules(problems, path.join(configDir, CONFIG_SUBDIRS.rules));

    const dataDir = path.join(configDir, CONFIG_SUBDIRS.data);
    const data: Record<string, string> = {};
    const dataSources: Record<string, string> = {};
    for (const file of filesOf(dataDir)) {
        const key = path.parse(file).name;
        const source = label(path.join(dataDir, file));
        if (!CONFIGMAP_KEY.test(key)) {
            problems.push(notAKey(source));
        } else if (key in data) {
            problems.push(`${source}: gives the same data key '${key}' as ${dataSources[key]}`);
        } else {
            data[key] = fs.readFileSync(path.join(dataDir, file), "utf8");
            dataSources[key] = source;
        }
    }
    return { files: { documents, rules, data, dataSources }, problems };
}

/** Configuration files given as text (a component's arguments) rather than read from a directory. */
export interface GivenFiles {
    /** Documents by file name (a .yaml, .yml or .json name), YAML or JSON text. */
    readonly documents?: Readonly<Record<string, string>>;
    /** TrafficScript rules by rule name. */
    readonly rules?: Readonly<Record<string, string>>;
    /** Data files by key. */
    readonly data?: Readonly<Record<string, string>>;
}

/** What the given files' names are called in messages: the component's arguments. */
const GIVEN_FILES_LABELS = { documents: "configDocuments", rules: "rules", data: "data" } as const;

/** The given files added to `files`: one with the name of a file of the directory takes its place. */
export function withGivenFiles(files: ConfigFiles, given: GivenFiles, problems: string[]): ConfigFiles {
    const documents = Object.entries(given.documents ?? {}).flatMap(
        ([key, text]) => userDocument(problems, key, `${GIVEN_FILES_LABELS.documents}.${key}`, () => text, "name") ?? [],
    );
    const rules = Object.entries(given.rules ?? {}).flatMap(([name, text]): RuleFile[] => {
        const source = `${GIVEN_FILES_LABELS.rules}.${name}`;
        const key = `${name}${RULE_EXTENSION}`;
        return CONFIGMAP_KEY.test(key) ? [{ name, key, source, text }] : (problems.push(notAKey(source, "name")), []);
    });
    const data = Object.entries(given.data ?? {}).filter(([key]) => CONFIGMAP_KEY.test(key) || (problems.push(notAKey(`${GIVEN_FILES_LABELS.data}.${key}`, "name")), false));
    const givenDocuments = new Set(documents.map((d) => d.key));
    const givenRules = new Set(rules.map((r) => r.name));
    return {
        documents: [...files.documents.filter((d) => !givenDocuments.has(d.key)), ...documents],
        rules: [...files.rules.filter((r) => !givenRules.has(r.name)), ...rules],
        data: { ...files.data, ...Object.fromEntries(data) },
        dataSources: { ...files.dataSources, ...Object.fromEntries(data.map(([key]) => [key, `${GIVEN_FILES_LABELS.data}.${key}`])) },
    };
}
