//! The one module that reads YAML. It keeps every scalar exactly as written (so `8.10`
//! stays the text "8.10", never the float 8.1) and the line and column of every node, so
//! errors about a value point at the value itself. Swap the parser here and nowhere else.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A YAML node with its position (1-based line and column within the YAML text).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the node holds.
    pub value: Value,
    /// 1-based line within the parsed text.
    pub line: usize,
    /// 1-based column (in characters) within the parsed text.
    pub column: usize,
}

/// The value of a YAML node.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing at all.
    Null,
    /// A scalar, exactly as written (quotes removed). `plain` is false when it was quoted.
    Scalar {
        /// The text of the scalar.
        text: String,
        /// Whether it was written without quotes.
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A short name of the kind of value, for error messages ("a list", "a mapping", …).
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Null => "nothing",
            Value::Scalar { .. } => "a text value",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The scalar text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }
}

/// A YAML syntax error with its position (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// What the parser said.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// Parses one YAML document. An empty text gives `Value::Null`.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, false).map_err(|e| SyntaxError {
        message: e.info().to_string(),
        line: e.marker().line().max(1),
        column: e.marker().col() + 1,
    })?;
    if let Some(error) = builder.error {
        return Err(error);
    }
    Ok(builder.root.unwrap_or(Node {
        value: Value::Null,
        line: 1,
        column: 1,
    }))
}

/// Builds the node tree from parser events.
#[derive(Default)]
struct Builder {
    stack: Vec<(Node, Option<usize>)>,
    pending_keys: Vec<Option<Node>>,
    anchors: std::collections::HashMap<usize, Node>,
    root: Option<Node>,
    error: Option<SyntaxError>,
}

impl Builder {
    fn push_value(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some((parent, _)) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(node);
            }
            return;
        };
        match &mut parent.value {
            Value::Seq(items) => items.push(node),
            Value::Map(entries) => {
                let slot = self
                    .pending_keys
                    .last_mut()
                    .expect("a mapping on the stack always has a key slot");
                match slot.take() {
                    None => *slot = Some(node),
                    Some(key) => entries.push((key, node)),
                }
            }
            _ => {}
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let (line, column) = (mark.line().max(1), mark.col() + 1);
        let at = |value| Node {
            value,
            line,
            column,
        };
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let plain = style == TScalarStyle::Plain;
                let value = if plain && matches!(text.as_str(), "~" | "null" | "Null" | "NULL" | "")
                {
                    Value::Null
                } else {
                    Value::Scalar { text, plain }
                };
                self.push_value(at(value), anchor);
            }
            Event::SequenceStart(anchor, _) => {
                self.stack.push((at(Value::Seq(Vec::new())), Some(anchor)));
            }
            Event::MappingStart(anchor, _) => {
                self.stack.push((at(Value::Map(Vec::new())), Some(anchor)));
                self.pending_keys.push(None);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, anchor)) = self.stack.pop() {
                    if matches!(node.value, Value::Map(_)) {
                        self.pending_keys.pop();
                    }
                    self.push_value(node, anchor.unwrap_or(0));
                }
            }
            Event::Alias(id) => match self.anchors.get(&id).cloned() {
                Some(mut node) => {
                    node.line = line;
                    node.column = column;
                    self.push_value(node, 0);
                }
                None => {
                    self.error.get_or_insert(SyntaxError {
                        message: "alias to an unknown anchor".into(),
                        line,
                        column,
                    });
                }
            },
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(node: &Node) -> &[(Node, Node)] {
        match &node.value {
            Value::Map(entries) => entries,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn scalars_stay_as_written_with_positions() {
        let root = parse("satisfies: [8.1, 5.10]\nversion: 3.10\n").unwrap();
        let entries = map(&root);
        let Value::Seq(items) = &entries[0].1.value else {
            panic!()
        };
        assert_eq!(items[1].as_str(), Some("5.10"));
        assert_eq!((items[1].line, items[1].column), (1, 18));
        assert_eq!(entries[1].1.as_str(), Some("3.10"));
        assert_eq!((entries[1].1.line, entries[1].1.column), (2, 10));
    }

    #[test]
    fn empty_values_are_null_and_quoted_ones_are_not() {
        let root = parse("a:\nb: ''\nc: ~\n").unwrap();
        let entries = map(&root);
        assert_eq!(entries[0].1.value, Value::Null);
        assert_eq!(entries[1].1.as_str(), Some(""));
        assert_eq!(entries[2].1.value, Value::Null);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("a: [1, 2\nb: c\n").unwrap_err();
        assert!(err.line >= 1, "{err:?}");
        let err = parse("key: value\n  bad: indent\n").unwrap_err();
        assert_eq!(err.line, 2, "{err:?}");
    }

    #[test]
    fn aliases_copy_the_anchored_value() {
        let root = parse("a: &x [1]\nb: *x\n").unwrap();
        assert_eq!(map(&root)[1].1.kind(), "a list");
    }

    #[test]
    fn empty_text_is_null() {
        assert_eq!(parse("").unwrap().value, Value::Null);
    }
}
