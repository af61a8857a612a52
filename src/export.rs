//! Exports for auditors, the same data as the matrix: `matrix.json` (the `check` report,
//! schema `smsbook-check/1`), `matrix.csv` (one row per clause–document pair; a gap is a row
//! without a document; `via` marks evidence through a mapping) and `matrix.xlsx` (sheets Matrix, Gaps, Register).

use crate::analysis::{review_overdue, Coverage};
use crate::Project;
use chrono::NaiveDate;
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

/// One row of the matrix export.
struct Row<'p> {
    standard: &'p str,
    clause: String,
    title: &'p str,
    status: Coverage,
    document: Option<(&'p str, &'p str, &'p str, &'static str, Option<&'p str>)>,
    /// For evidence through a mapping: the clause the document claims.
    via: String,
}

impl Row<'_> {
    /// The row's cells, in the order of the matrix columns.
    fn cells(&self) -> [&str; 10] {
        let (id, title, path, status, section) = self.document.unwrap_or(("", "", "", "", None));
        [
            self.standard,
            &self.clause,
            self.title,
            self.status.as_str(),
            id,
            title,
            path,
            status,
            section.unwrap_or(""),
            &self.via,
        ]
    }
}

fn rows(project: &Project) -> Vec<Row<'_>> {
    let catalogs = &project.catalogs;
    let manual = &project.manual;
    let mut rows = Vec::new();
    for key in catalogs.keys() {
        let coverage = project.analysis.of(key);
        let clause = catalogs.clause(key);
        let base = |document, via| Row {
            standard: &catalogs.list[key.standard].id,
            clause: catalogs.reference(key),
            title: &clause.title,
            status: coverage.status,
            document,
            via,
        };
        if coverage.claims.is_empty() && coverage.indirect.is_empty() {
            rows.push(base(None, String::new()));
        }
        for &c in coverage.claims.iter().chain(&coverage.indirect) {
            let (claim, doc, meta) = manual.claim(c);
            let via = if claim.clause == key {
                String::new()
            } else {
                catalogs.qualified(claim.clause)
            };
            rows.push(base(
                Some((
                    meta.id.value.as_str(),
                    doc.title.as_str(),
                    doc.path.as_str(),
                    meta.status.as_str(),
                    claim.section.as_deref(),
                )),
                via,
            ));
        }
    }
    rows
}

/// `matrix.json`.
pub fn matrix_json(project: &Project) -> Result<Vec<u8>, String> {
    serde_json::to_vec(&crate::report::report(project)).map_err(|e| e.to_string())
}

/// `matrix.csv`.
pub fn matrix_csv(project: &Project) -> Result<Vec<u8>, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let error = |e: csv::Error| e.to_string();
    writer
        .write_record([
            "standard",
            "clause",
            "title",
            "status",
            "document_id",
            "document_title",
            "path",
            "document_status",
            "section",
            "via",
        ])
        .map_err(error)?;
    for row in rows(project) {
        writer.write_record(row.cells()).map_err(error)?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

/// Writes the bold header row and freezes it.
fn write_header(
    sheet: &mut rust_xlsxwriter::Worksheet,
    columns: &[&str],
    format: &Format,
) -> Result<(), XlsxError> {
    for (c, title) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, format)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn fill(status: &str) -> Option<Color> {
    match status {
        "satisfied" => Some(Color::RGB(0xDCF5E3)),
        "partial" => Some(Color::RGB(0xFFF1C7)),
        "gap" => Some(Color::RGB(0xFDE4E1)),
        "excluded" => Some(Color::RGB(0xE8EAEE)),
        _ => None,
    }
}

/// `matrix.xlsx`, dated `date` so that the same input gives the same bytes.
pub fn matrix_xlsx(project: &Project, date: NaiveDate) -> Result<Vec<u8>, String> {
    xlsx(project, date).map_err(|e| format!("cannot write matrix.xlsx: {e}"))
}

fn xlsx(project: &Project, date: NaiveDate) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    use chrono::Datelike;
    let created = ExcelDateTime::from_ymd(
        date.year().clamp(1900, 9999) as u16,
        date.month() as u8,
        date.day() as u8,
    )?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title("Traceability matrix")
            .set_creation_datetime(&created),
    );
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF5F7FA));
    let status_format = |status: &str| match fill(status) {
        Some(color) => Format::new().set_background_color(color),
        None => Format::new(),
    };
    let all = rows(project);
    let sheets: [(&str, Vec<&Row>); 2] = [
        ("Matrix", all.iter().collect()),
        (
            "Gaps",
            all.iter().filter(|r| r.status == Coverage::Gap).collect(),
        ),
    ];
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        let columns = [
            "Standard",
            "Clause",
            "Title",
            "Status",
            "Document",
            "Document title",
            "Path",
            "Document status",
            "Section",
            "Via (mapping)",
        ];
        write_header(sheet, &columns, &header)?;
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, value) in row.cells().iter().enumerate() {
                if c == 3 {
                    sheet.write_string_with_format(r, c as u16, *value, &status_format(value))?;
                } else {
                    sheet.write_string(r, c as u16, *value)?;
                }
            }
        }
        for (c, width) in [16, 10, 40, 11, 18, 40, 40, 14, 24, 18].iter().enumerate() {
            sheet.set_column_width(c as u16, *width)?;
        }
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("Register")?;
    let columns = [
        "Id",
        "Title",
        "Type",
        "Owner",
        "Status",
        "Version",
        "Approved by",
        "Approved on",
        "Review by",
        "Overdue",
    ];
    write_header(sheet, &columns, &header)?;
    let mut r = 1;
    for doc in &project.manual.documents {
        let Some(m) = &doc.meta else { continue };
        let overdue = review_overdue(m, project.rules.today);
        let cells = [
            m.id.value.clone(),
            doc.title.clone(),
            m.doc_type.as_str().to_string(),
            m.owner.clone().unwrap_or_default(),
            m.status.as_str().to_string(),
            m.version.clone().unwrap_or_default(),
            m.approved_by.clone().unwrap_or_default(),
            m.approved_on.map(|d| d.to_string()).unwrap_or_default(),
            m.review_by
                .as_ref()
                .map(|d| d.value.to_string())
                .unwrap_or_default(),
            if overdue {
                "overdue".into()
            } else {
                String::new()
            },
        ];
        for (c, value) in cells.iter().enumerate() {
            if c == 9 && overdue {
                sheet.write_string_with_format(r, c as u16, value, &status_format("gap"))?;
            } else {
                sheet.write_string(r, c as u16, value)?;
            }
        }
        r += 1;
    }
    if let Some(rows) = crate::soa::rows(project) {
        let sheet = workbook.add_worksheet();
        sheet.set_name("SoA")?;
        write_header(
            sheet,
            &[
                "Control",
                "Title",
                "Applicable",
                "Justification",
                "Implementation",
                "Documents",
            ],
            &header,
        )?;
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            sheet.write_string(r, 0, &row.control)?;
            sheet.write_string(r, 1, &row.title)?;
            sheet.write_string(r, 2, if row.applicable { "yes" } else { "no" })?;
            sheet.write_string(r, 3, &row.justification)?;
            sheet.write_string_with_format(r, 4, row.implementation, &status_format(row.status))?;
            sheet.write_string(r, 5, row.documents.join(" "))?;
        }
        for (c, width) in [10, 40, 11, 50, 18, 30].iter().enumerate() {
            sheet.set_column_width(c as u16, *width)?;
        }
    }
    workbook.save_to_buffer()
}
