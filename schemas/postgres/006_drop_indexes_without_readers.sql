-- Two indexes no statement of the store reads, each written on every
-- breach: positions_by_signal (a breach's position update changes the
-- indexed state, so it is not HOT and every index of positions gets a new
-- entry) and close_commands_by_position (the close command insert). The
-- store filters positions and commands by id, device and state only; a
-- position's live command is found through close_commands_one_live. What
-- they served is the foreign keys' check when a signal or a position is
-- deleted or re-keyed, which the store never does (it has no delete): by
-- hand, such a statement now scans the referencing table. The foreign keys
-- themselves stay. Measured: 5-10% more breaches per second at 256 per
-- group (bench/README.md, section "store").

DROP INDEX positions_by_signal;
DROP INDEX close_commands_by_position;
