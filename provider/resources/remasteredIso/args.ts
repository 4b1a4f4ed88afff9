/**
 * RemasteredIso: arguments (pulumi.Input everywhere), the plain inputs the provider receives after
 * check() normalised them, and the outputs kept in state.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AnswerFile, TargetProfileId } from "../../answerfile";
import type { ConnectionArgs } from "../../ssh";

/** A file put at the root of the installer ramdisk next to the answer file. */
export interface IsoScriptArgs {
    /** Path in the ramdisk, e.g. "/postinst.sh" (what the answer file's script URL names: file:///postinst.sh). */
    path: pulumi.Input<string>;
    /** The file's text. */
    content: pulumi.Input<string>;
    /** Permission bits. @default 0o755 */
    mode?: pulumi.Input<number>;
}

/** Where remastered ISOs live on the host: a directory in dom0 served by an ISO SR. */
export interface IsoLibraryArgs {
    /** name-label of the ISO SR (made by us when no SR serves the directory yet). @default "virtual-hypervisor ISO library" */
    nameLabel?: pulumi.Input<string>;
    /** Absolute directory in dom0. @default - "virtual-hypervisor/iso-library" under the login user's home */
    directory?: pulumi.Input<string>;
}

export interface RemasteredIsoArgs {
    /**
     * SSH connection to the XenServer host (secret in state). Changing its host or port replaces
     * the ISO; changing only credentials changes nothing.
     * @default - from stack config: virtual-hypervisor:host, :port, :user, :password, :privateKey, :hostKey
     */
    connection?: pulumi.Input<ConnectionArgs>;
    /** Path of the installer ISO (XenServer 7.x/8.x, XCP-ng 8.x) on the machine running Pulumi. Changing its content replaces the resource. */
    sourceIso: pulumi.Input<string>;
    /**
     * The answer file: a typed model (see seedAnswerFile) or the XML text. A plaintext root
     * password is replaced by its SHA-512 crypt hash with a salt derived from the answer file, so
     * equal inputs give byte-identical ISOs and no plaintext password reaches the ISO or the state.
     * Changing it replaces the resource.
     */
    answerFile: pulumi.Input<AnswerFile | string>;
    /** Installer version to validate the answer file against. @default - derived from the host's software-version */
    target?: pulumi.Input<TargetProfileId>;
    /** Extra installer kernel arguments after `answerfile=… install atexit=poweroff`. Changing them replaces the resource. @default [] */
    kernelArgs?: pulumi.Input<pulumi.Input<string>[]>;
    /** Files next to the answer file in the ramdisk. Changing them replaces the resource. @default - the bundled data/postinst.sh and data/firstboot.sh */
    scripts?: pulumi.Input<pulumi.Input<IsoScriptArgs>[]>;
    /** The ISO library on the host. Changing it replaces the resource. @default { nameLabel: "virtual-hypervisor ISO library", directory: "~/virtual-hypervisor/iso-library" } */
    isoLibrary?: pulumi.Input<IsoLibraryArgs>;
}

export interface IsoScript {
    path: string;
    content: string;
    mode: number;
}

/** What the provider receives: check() resolved paths, hashed the password and computed the content hash. */
export interface RemasteredIsoInputs {
    connection?: ConnectionArgs;
    /** Absolute path. */
    sourceIso: string;
    /** The answer-file XML as it goes into the ISO (no plaintext password). */
    answerFile: string;
    target?: TargetProfileId;
    kernelArgs: string[];
    /** undefined: the bundled scripts. */
    scripts?: IsoScript[];
    isoLibrary: { nameLabel: string; directory?: string };
    /** SHA-256 over everything that determines the ISO's bytes (no secret in it): its identity. */
    contentHash: string;
    /** `vh-<16 hex of contentHash>.iso`: the file name on the host and the ISO VDI's name-label. */
    isoName: string;
}

export interface RemasteredIsoOutputs extends RemasteredIsoInputs {
    connection: ConnectionArgs;
    /** uuid of the ISO's VDI in the library SR (what a VM's CD drive takes). */
    vdiUuid: string;
    /** uuid of the library SR. */
    srUuid: string;
    /** The library directory in dom0, resolved. */
    libraryDirectory: string;
    /** SHA-256 of the ISO's bytes, as verified on the host after the upload. */
    sha256: string;
    sizeBytes: number;
    /** The installer version the answer file was validated against. */
    resolvedTarget: string;
    /** This resource's reference marker next to the ISO (delete removes the file when no marker is left). */
    refId: string;
    stateVersion: number;
}

export const DEFAULT_LIBRARY_NAME = "virtual-hypervisor ISO library";
/** Relative to the login user's home in dom0. */
export const DEFAULT_LIBRARY_SUBDIR = "virtual-hypervisor/iso-library";
