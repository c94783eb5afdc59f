//! The two courier lists joined into one table, and resolving a [`CourierRef`] against it.
//! Pure: no I/O, so every rule is unit-tested here.

use super::{CourierError, CourierRef};
use crate::api::types::{DeliveryCompanyList, InvoiceDeliveryCompanyList};

/// How many near matches an unknown courier's error lists.
const NEAR: usize = 3;

/// One entry of the numeric-id list (CUR-01), with what the answer carried.
#[derive(Debug, Clone)]
struct Listed {
    id: Option<i64>,
    name: Option<String>,
    code: Option<String>,
}

/// What Toss lists: the invoice values (CUR-02) and the numeric-id couriers (CUR-01).
#[derive(Debug, Clone)]
pub(crate) struct CourierTable {
    /// The values invoices take, as listed, without blanks and repeats.
    invoice: Vec<String>,
    /// The numeric-id couriers.
    listed: Vec<Listed>,
}

impl CourierTable {
    /// Joins the two answers. An answer without a single invoice value is refused: it
    /// would make every courier unknown.
    pub(crate) fn new(
        listed: DeliveryCompanyList,
        invoice: InvoiceDeliveryCompanyList,
    ) -> Result<Self, CourierError> {
        let mut values: Vec<String> = Vec::new();
        for value in invoice.delivery_companies {
            if !value.trim().is_empty() && !values.contains(&value) {
                values.push(value);
            }
        }
        if values.is_empty() {
            return Err(CourierError::NoInvoiceCouriers);
        }
        let listed = listed
            .delivery_companies
            .into_iter()
            .map(|courier| Listed {
                id: courier.id,
                name: courier.name,
                code: courier.code.filter(|code| !code.trim().is_empty()),
            })
            .collect();
        Ok(Self {
            invoice: values,
            listed,
        })
    }

    /// The invoice value for `courier`.
    pub(crate) fn resolve(&self, courier: &CourierRef) -> Result<String, CourierError> {
        match courier {
            CourierRef::Id(id) => self.by_id(courier, *id),
            CourierRef::Code(code) => self.by_code(courier, code),
            CourierRef::Name(name) => self.by_name(courier, name),
        }
    }

    fn by_name(&self, courier: &CourierRef, name: &str) -> Result<String, CourierError> {
        self.invoice_value(courier, name)?
            .ok_or_else(|| CourierError::Unknown {
                courier: courier.clone(),
                near: self.near(name),
            })
    }

    fn by_id(&self, courier: &CourierRef, id: i64) -> Result<String, CourierError> {
        match self.listed.iter().find(|listed| listed.id == Some(id)) {
            Some(listed) => self.invoice_value_of(courier, listed),
            None => Err(CourierError::Unknown {
                courier: courier.clone(),
                near: Vec::new(),
            }),
        }
    }

    fn by_code(&self, courier: &CourierRef, code: &str) -> Result<String, CourierError> {
        // The docs call the invoice values themselves courier codes.
        if let Some(exact) = self.invoice.iter().find(|value| *value == code) {
            return Ok(exact.clone());
        }
        let listed = self.listed.iter().find(|listed| {
            listed
                .code
                .as_deref()
                .is_some_and(|known| known.eq_ignore_ascii_case(code.trim()))
        });
        if let Some(listed) = listed {
            return self.invoice_value_of(courier, listed);
        }
        let near = self.near(code);
        if self.listed.iter().all(|listed| listed.code.is_none()) {
            Err(CourierError::NoCodes {
                code: code.to_string(),
                near,
            })
        } else {
            Err(CourierError::Unknown {
                courier: courier.clone(),
                near,
            })
        }
    }

    /// The invoice value of a numeric-id courier: the one its name matches.
    fn invoice_value_of(
        &self,
        courier: &CourierRef,
        listed: &Listed,
    ) -> Result<String, CourierError> {
        let value = match listed.name.as_deref() {
            Some(name) => self.invoice_value(courier, name)?,
            None => None,
        };
        value.ok_or_else(|| CourierError::NotInvoiceable {
            courier: courier.clone(),
            name: listed.name.clone(),
        })
    }

    /// The invoice value equal to `name`, or else the only one equal to it once case and
    /// white space are ignored; several such values are ambiguous.
    fn invoice_value(
        &self,
        courier: &CourierRef,
        name: &str,
    ) -> Result<Option<String>, CourierError> {
        if let Some(exact) = self.invoice.iter().find(|value| *value == name) {
            return Ok(Some(exact.clone()));
        }
        let wanted = loose_key(name);
        let matches: Vec<&String> = self
            .invoice
            .iter()
            .filter(|value| loose_key(value) == wanted)
            .collect();
        match matches.as_slice() {
            [] => Ok(None),
            [only] => Ok(Some((*only).clone())),
            several => Err(CourierError::Ambiguous {
                courier: courier.clone(),
                candidates: several.iter().map(|value| (*value).clone()).collect(),
            }),
        }
    }

    /// The invoice values nearest to `text`: those that contain it or are contained in it,
    /// and those a few edits away; nearest first.
    fn near(&self, text: &str) -> Vec<String> {
        let wanted = loose_key(text);
        if wanted.is_empty() {
            return Vec::new();
        }
        let limit = (wanted.chars().count() / 3).max(1);
        let mut scored: Vec<(usize, &String)> = self
            .invoice
            .iter()
            .filter_map(|value| {
                let key = loose_key(value);
                let edits = edit_distance(&wanted, &key);
                let related = key.contains(&wanted) || wanted.contains(&key);
                (edits <= limit || related).then_some((edits, value))
            })
            .collect();
        scored.sort();
        scored
            .into_iter()
            .take(NEAR)
            .map(|(_, value)| value.clone())
            .collect()
    }
}

/// A name without white space, in lower case: `CJ 대한통운` and `cj대한통운` compare equal.
fn loose_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The Levenshtein distance between two texts, in characters (Hangul syllables count one).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // row[j]: the distance between the part of `a` read so far and the first j chars of `b`.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, from) in a.chars().enumerate() {
        let mut diagonal = i;
        row[0] = i + 1;
        for (j, to) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(from != *to));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::DeliveryCompany;

    fn company(id: i64, name: &str, code: Option<&str>) -> DeliveryCompany {
        DeliveryCompany {
            id: Some(id),
            name: Some(name.to_string()),
            code: code.map(str::to_string),
            is_enabled: Some(true),
        }
    }

    fn table(listed: Vec<DeliveryCompany>, invoice: &[&str]) -> CourierTable {
        CourierTable::new(
            DeliveryCompanyList {
                delivery_companies: listed,
            },
            InvoiceDeliveryCompanyList {
                delivery_companies: invoice.iter().map(|v| v.to_string()).collect(),
            },
        )
        .expect("a table")
    }

    /// As the live API answers: ids and names, no codes.
    fn live() -> CourierTable {
        table(
            vec![
                company(1, "CJ대한통운", None),
                company(3, "롯데택배", None),
                company(5, "한진택배", None),
                company(7, "우체국택배", None),
                company(99, "사라진택배", None),
            ],
            &["CJ대한통운", "롯데택배", "한진택배", "우체국택배"],
        )
    }

    fn resolve(
        table: &CourierTable,
        courier: impl Into<CourierRef>,
    ) -> Result<String, CourierError> {
        table.resolve(&courier.into())
    }

    #[test]
    fn an_id_resolves_through_its_name_to_the_invoice_value() {
        assert_eq!(resolve(&live(), 1).unwrap(), "CJ대한통운");
        assert_eq!(resolve(&live(), 5).unwrap(), "한진택배");
    }

    #[test]
    fn an_unknown_id_and_an_id_invoices_do_not_take_are_told_apart() {
        assert!(matches!(
            resolve(&live(), 42),
            Err(CourierError::Unknown {
                courier: CourierRef::Id(42),
                ..
            })
        ));
        match resolve(&live(), 99) {
            Err(CourierError::NotInvoiceable { name, .. }) => {
                assert_eq!(name.as_deref(), Some("사라진택배"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_name_matches_exactly_or_ignoring_case_and_spaces() {
        assert_eq!(resolve(&live(), "CJ대한통운").unwrap(), "CJ대한통운");
        assert_eq!(resolve(&live(), " cj 대한통운 ").unwrap(), "CJ대한통운");
    }

    #[test]
    fn an_unknown_name_lists_the_nearest_invoice_values() {
        match resolve(&live(), "한진") {
            Err(CourierError::Unknown { near, .. }) => assert_eq!(near, ["한진택배"]),
            other => panic!("{other:?}"),
        }
        match resolve(&live(), "우채국택배") {
            Err(error @ CourierError::Unknown { .. }) => {
                assert!(
                    error.to_string().contains("did you mean 우체국택배?"),
                    "{error}"
                )
            }
            other => panic!("{other:?}"),
        }
        match resolve(&live(), "FedEx") {
            Err(CourierError::Unknown { near, .. }) => assert!(near.is_empty(), "{near:?}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn marketplace_codes_do_not_resolve_when_toss_lists_no_codes() {
        match resolve(&live(), CourierRef::Code("CJGLS".into())) {
            Err(error @ CourierError::NoCodes { .. }) => {
                assert!(error.to_string().contains("numeric id"), "{error}")
            }
            other => panic!("{other:?}"),
        }
        // The invoice values are Toss's own codes, so one given as a code resolves.
        assert_eq!(
            resolve(&live(), CourierRef::Code("롯데택배".into())).unwrap(),
            "롯데택배"
        );
    }

    #[test]
    fn codes_toss_lists_resolve_ignoring_ascii_case() {
        let with_codes = table(
            vec![
                company(1, "CJ대한통운", Some("CJGLS")),
                company(5, "한진택배", Some("HANJIN")),
            ],
            &["CJ대한통운", "한진택배"],
        );
        let cj = resolve(&with_codes, CourierRef::Code("cjgls".into()));
        assert_eq!(cj.unwrap(), "CJ대한통운");
        assert!(matches!(
            resolve(&with_codes, CourierRef::Code("EPOST".into())),
            Err(CourierError::Unknown { .. })
        ));
    }

    #[test]
    fn names_that_differ_only_in_case_are_ambiguous_unless_one_is_exact() {
        let twins = table(vec![], &["ABC택배", "abc택배"]);
        assert_eq!(resolve(&twins, "abc택배").unwrap(), "abc택배");
        assert!(matches!(
            resolve(&twins, "Abc택배"),
            Err(CourierError::Ambiguous { candidates, .. }) if candidates.len() == 2
        ));
    }

    #[test]
    fn an_empty_invoice_list_is_refused_not_cached_as_no_couriers() {
        let empty = CourierTable::new(
            DeliveryCompanyList {
                delivery_companies: vec![company(1, "CJ대한통운", None)],
            },
            InvoiceDeliveryCompanyList {
                delivery_companies: vec![" ".into()],
            },
        );
        assert!(matches!(empty, Err(CourierError::NoInvoiceCouriers)));
    }

    #[test]
    fn edit_distance_counts_hangul_syllables_as_one() {
        assert_eq!(edit_distance("우채국", "우체국"), 1);
        assert_eq!(edit_distance("", "한진"), 2);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
