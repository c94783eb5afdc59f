//! Product information notices (정보제공 고시).
