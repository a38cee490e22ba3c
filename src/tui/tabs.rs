//! The seven tabs of the workbench, in their order on screen.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Request,
    Jwt,
    Audit,
    Keys,
    Tasks,
    Learn,
    Matrix,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Request,
        Tab::Jwt,
        Tab::Audit,
        Tab::Keys,
        Tab::Tasks,
        Tab::Learn,
        Tab::Matrix,
    ];

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn from_index(index: usize) -> Option<Tab> {
        Tab::ALL.get(index).copied()
    }

    pub fn title(self) -> &'static str {
        match self {
            Tab::Request => "Request",
            Tab::Jwt => "JWT",
            Tab::Audit => "Audit",
            Tab::Keys => "Keys",
            Tab::Tasks => "Tasks",
            Tab::Learn => "Learn",
            Tab::Matrix => "Matrix",
        }
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}
