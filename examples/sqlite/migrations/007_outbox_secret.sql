-- A fact's secret, kept apart from its payload: the code of a gift card a
-- lane was paid with offline, which the central service needs to find the
-- card when the payment is replayed, and which no store keeps otherwise
-- (the stored-value store holds only a keyed hash of a code). It is set
-- when the item is queued and cleared when the item is marked sent, so a
-- lane's file holds the codes of unsent payments only. The payload holds
-- a keyed hash of the code, so a replayed request with another card is
-- still told from the one queued.
ALTER TABLE outbox ADD COLUMN secret BLOB;
