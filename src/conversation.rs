//! Live conversations (CONTRACT §7): the business's answers carried back to the visitor who
//! holds a ticket's capability. [`follow`] is the client's side (§7.3): one ticket's thread
//! followed through the relay's long poll, as a sans-IO state machine.

pub mod follow;
