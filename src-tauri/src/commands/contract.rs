//! The UI's `Commands` type, rendered from the command list (`list.rs`).
//!
//! `ui/src/lib/api/generated/commands.ts` maps each command's name to its
//! arguments (one object, keys in camelCase as Tauri reads them, an
//! `Option` argument optional) and its result, using the types ts-rs
//! generates from liaison-desk into `./contract.ts`. The test below fails
//! when the committed file is not what the list gives; `cargo xtask
//! contract` rewrites it (the same test with `LIAISON_WRITE_CONTRACT=1`).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use tauri::ipc::Channel;
use ts_rs::{Config, TS, TypeVisitor};

/// One command as the window sees it.
pub(crate) struct Command {
    /// The name the window invokes.
    pub name: &'static str,
    /// The doc comment's lines in `list.rs`.
    pub docs: &'static [&'static str],
    /// The arguments, by their Rust name (snake_case), in order.
    pub arguments: Vec<(&'static str, Shape)>,
    /// What the command resolves with.
    pub result: Shape,
}

/// How one argument or result looks in TypeScript.
pub(crate) struct Shape {
    /// The TypeScript type.
    pub typescript: String,
    /// Whether the window may leave the argument out (an `Option`).
    pub optional: bool,
    /// The contract's named types it refers to (to import).
    pub names: BTreeSet<String>,
    /// The Rust type, for checks on what the window may send.
    pub rust: &'static str,
}

/// The settings every generated type shares (`liaison_desk::contract`'s:
/// 64-bit integers are numbers).
fn config() -> Config {
    Config::new().with_large_int("number")
}

/// Collects the names of the declared (exported) types a type refers to.
struct Names(BTreeSet<String>);

impl TypeVisitor for Names {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_some() && self.0.insert(T::ident(&config())) {
            T::visit_dependencies(self);
            T::visit_generics(self);
        }
    }
}

impl Shape {
    fn typed<T: TS + 'static>(optional: bool) -> Self {
        let mut names = Names(BTreeSet::new());
        names.visit::<T>();
        T::visit_dependencies(&mut names);
        T::visit_generics(&mut names);
        Self {
            typescript: T::name(&config()),
            optional,
            names: names.0,
            rust: std::any::type_name::<T>(),
        }
    }
}

/// Picks the shape of a type by what it is, at the macro's call site
/// (auto-ref specialisation: `(&&&Probe::<T>::new()).shape()` tries an
/// `Option` first, then any ts-rs type, then a Tauri channel).
pub(crate) struct Probe<T>(PhantomData<T>);

impl<T> Probe<T> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

/// An `Option<T>` argument: the key may be left out.
pub(crate) trait OptionalShape {
    fn shape(&self) -> Shape;
}

impl<T: TS + 'static> OptionalShape for &&Probe<Option<T>> {
    fn shape(&self) -> Shape {
        Shape::typed::<T>(true)
    }
}

/// Any type ts-rs renders.
pub(crate) trait TypedShape {
    fn shape(&self) -> Shape;
}

impl<T: TS + 'static> TypedShape for &Probe<T> {
    fn shape(&self) -> Shape {
        Shape::typed::<T>(false)
    }
}

/// A Tauri channel the window passes (`new Channel()`): the shell sends
/// on it, so its type is the window's business, not the contract's.
pub(crate) trait ChannelShape {
    fn shape(&self) -> Shape;
}

impl<T> ChannelShape for Probe<Channel<T>> {
    fn shape(&self) -> Shape {
        Shape {
            typescript: "unknown".to_owned(),
            optional: false,
            names: BTreeSet::new(),
            rust: std::any::type_name::<Channel<T>>(),
        }
    }
}

/// The name Tauri reads an argument under: `up_to_index` is `upToIndex`.
pub(crate) fn camel_case(snake: &str) -> String {
    let mut camel = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                camel.extend(c.to_uppercase());
                upper = false;
            }
            c => camel.push(c),
        }
    }
    camel
}

/// The first lines of the generated file.
const HEADER: &str = "\
// The window's commands, generated from the shell's command list
// (src-tauri/src/commands/list.rs). Do not edit: change the list and run
// `cargo xtask contract`. `../types.ts` re-exports `Commands`.

";

/// The generated file's text.
pub(crate) fn render(commands: &[Command]) -> String {
    let mut names = BTreeSet::new();
    let mut body = String::new();
    body.push_str(
        "/** Command name -> [arguments, result]. The UI calls these through `api.ts`. */\n",
    );
    body.push_str("export interface Commands {\n");
    for command in commands {
        if !command.docs.is_empty() {
            body.push_str("  /**\n");
            for line in command.docs {
                let line = line.strip_prefix(' ').unwrap_or(line);
                let _ = writeln!(body, "   *{}{line}", if line.is_empty() { "" } else { " " });
            }
            body.push_str("   */\n");
        }
        let arguments = if command.arguments.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            let keys: Vec<String> = command
                .arguments
                .iter()
                .map(|(name, shape)| {
                    let optional = if shape.optional { "?" } else { "" };
                    format!("{}{optional}: {}", camel_case(name), shape.typescript)
                })
                .collect();
            format!("{{ {} }}", keys.join("; "))
        };
        let _ = writeln!(
            body,
            "  {}: [{arguments}, {}];",
            command.name, command.result.typescript
        );
        for shape in command
            .arguments
            .iter()
            .map(|(_, s)| s)
            .chain([&command.result])
        {
            names.extend(shape.names.iter().cloned());
        }
    }
    body.push_str("}\n");
    // Only what the text names: a type's own dependencies stay in contract.ts.
    let used: Vec<&String> = names
        .iter()
        .filter(|name| {
            body.split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|word| word == name.as_str())
        })
        .collect();
    let mut text = HEADER.to_owned();
    if !used.is_empty() {
        text.push_str("import type {\n");
        for name in used {
            let _ = writeln!(text, "  {name},");
        }
        text.push_str("} from './contract';\n\n");
    }
    text.push_str(&body);
    text
}

/// The generated file.
fn generated_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/api/generated/commands.ts")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::{COMMANDS, declarations};

    #[test]
    fn the_generated_commands_are_what_the_command_list_gives() {
        let text = render(&declarations());
        let path = generated_path();
        if std::env::var_os("LIAISON_WRITE_CONTRACT").is_some() {
            if let Err(error) = std::fs::write(&path, &text) {
                panic!("writing {}: {error}", path.display());
            }
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "{} is stale: run `cargo xtask contract`",
            path.display()
        );
    }

    #[test]
    fn every_command_is_declared_once_with_its_arguments_and_result() {
        let declared = declarations();
        let names: Vec<&str> = declared.iter().map(|c| c.name).collect();
        assert_eq!(names, COMMANDS);
        let text = render(&declared);
        // Keys as Tauri reads them, optional where Rust takes an Option,
        // results and imports as ts-rs names them.
        for expected in [
            "  app_status: [Record<string, never>, AppStatus];",
            "  unlock: [{ secret?: string }, ProfileView];",
            "  still_here: [Record<string, never>, null];",
            "  mark_read: [{ channelId: string; upToIndex: number }, null];",
            "  list_members: [{ channelId: string }, Array<MemberView>];",
            "  export_archive: [{ request: ExportArchiveRequest; onProgress: unknown }, ExportReportView];",
            "  AppStatus,\n",
            "   * Opens the native dialog for `purpose` in the shell; the only way a file is chosen.\n",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from\n{text}");
        }
        // A type only a declared type refers to is not imported.
        assert!(!text.contains("  ChannelOrigin,\n"), "{text}");
        assert_eq!(camel_case("up_to_index"), "upToIndex");
        assert_eq!(camel_case("id"), "id");
    }
}
