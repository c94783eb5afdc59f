//! What the day did, printed as a table at the end.

/// One line per step: what it was and how it went.
#[derive(Default)]
pub struct Summary {
    rows: Vec<(String, String)>,
}

impl Summary {
    /// Records a step's outcome and prints it as progress.
    pub fn record(&mut self, step: &str, outcome: impl Into<String>) {
        let outcome = outcome.into();
        println!("  ✓ {step}: {outcome}");
        self.rows.push((step.to_string(), outcome));
    }

    /// Prints the table.
    pub fn print(&self) {
        let width = self
            .rows
            .iter()
            .map(|(step, _)| step.chars().count())
            .max()
            .unwrap_or(0);
        println!("\nThe day in short");
        println!("{}", "─".repeat(width + 40));
        for (step, outcome) in &self.rows {
            let pad = width - step.chars().count();
            println!("{step}{}  {outcome}", " ".repeat(pad));
        }
    }
}
