//! Wire types shared by the Liaison client and relay.
