package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/clientele-go/clientele/feedback"
	"github.com/jackc/pgx/v5"
)

// Feedback returns the feedback.Store kept in this database. It also
// offers feedback.DueComplaintIndex: the overdue scan reads a partial
// index on the complaints' due time, so it touches only overdue rows.
func (db *DB) Feedback() feedback.Store { return feedbackStore{db} }

type feedbackStore struct{ db *DB }

var _ feedback.DueComplaintIndex = feedbackStore{}

// nullTime is a zero time as SQL NULL, so "zero" is never "before t".
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// insert runs a create and maps the primary-key violation to
// ErrAlreadyExists.
func (s feedbackStore) insert(ctx context.Context, table, id, sql string, args ...any) error {
	_, err := s.db.pool.Exec(ctx, sql, args...)
	if uniqueViolation(err, table+"_pkey") {
		return fmt.Errorf("%s %s: %w", table, id, feedback.ErrAlreadyExists)
	}
	return err
}

// update runs a compare-and-set update of the row id of table; when it
// changed nothing, the row is either missing or at another version.
func (s feedbackStore) update(ctx context.Context, table, id, sql string, args ...any) error {
	tag, err := s.db.pool.Exec(ctx, sql, args...)
	if err != nil || tag.RowsAffected() > 0 {
		return err
	}
	var exists bool
	if err := s.db.pool.QueryRow(ctx, fmt.Sprintf(`SELECT EXISTS (SELECT 1 FROM %s WHERE id = $1)`, table), id).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return fmt.Errorf("%s %s: %w", table, id, feedback.ErrNotFound)
	}
	return fmt.Errorf("%s %s: %w", table, id, feedback.ErrConflict)
}

// get reads the document of one row into v.
func (s feedbackStore) get(ctx context.Context, table, key, id string, v any) error {
	var doc []byte
	err := s.db.pool.QueryRow(ctx, fmt.Sprintf(`SELECT doc FROM %s WHERE %s = $1`, table, key), id).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s %s: %w", table, id, feedback.ErrNotFound)
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(doc, v)
}

// keyed is a document with the keyset columns its listing pages by.
type keyed[T any] struct {
	v  T
	at *time.Time
	id string
}

// ordered streams the documents of table matching filter, ordered by
// (col, id), ascending or descending: col is a time column, or "" to
// order by ID alone.
func ordered[T any](ctx context.Context, db *DB, table, col, filter string, desc bool, args ...any) iter.Seq2[T, error] {
	order, cmp := "ASC", ">"
	if desc {
		order, cmp = "DESC", "<"
	}
	rows := stream(ctx, db, func(last *keyed[T]) (string, []any) {
		a := append([]any(nil), args...)
		where, sel, by := filter, "NULL::timestamptz", "id "+order
		if col != "" {
			sel, by = col, fmt.Sprintf("%s %s, id %s", col, order, order)
		}
		if last != nil {
			if col != "" {
				a = append(a, last.at, last.id)
				where += fmt.Sprintf(` AND (%s, id) %s ($%d, $%d)`, col, cmp, len(a)-1, len(a))
			} else {
				a = append(a, last.id)
				where += fmt.Sprintf(` AND id %s $%d`, cmp, len(a))
			}
		}
		return fmt.Sprintf(`SELECT doc, %s, id FROM %s WHERE %s ORDER BY %s LIMIT %d`, sel, table, where, by, pageSize), a
	}, func(row pgx.CollectableRow) (keyed[T], error) {
		var doc []byte
		var k keyed[T]
		if err := row.Scan(&doc, &k.at, &k.id); err != nil {
			return k, err
		}
		return k, json.Unmarshal(doc, &k.v)
	})
	return func(yield func(T, error) bool) {
		for k, err := range rows {
			if !yield(k.v, err) || err != nil {
				return
			}
		}
	}
}

// --- complaints

func (s feedbackStore) CreateComplaint(ctx context.Context, c feedback.Complaint) error {
	doc, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.insert(ctx, "feedback_complaints", c.ID, `INSERT INTO feedback_complaints (id, version, customer_id, at, open, due_at, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.Version, c.CustomerID, c.ReceivedAt, c.Status.Open(), nullTime(c.DueAt), doc)
}

func (s feedbackStore) GetComplaint(ctx context.Context, id string) (feedback.Complaint, error) {
	var c feedback.Complaint
	return c, s.get(ctx, "feedback_complaints", "id", id, &c)
}

func (s feedbackStore) UpdateComplaint(ctx context.Context, c feedback.Complaint) error {
	doc, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.update(ctx, "feedback_complaints", c.ID, `UPDATE feedback_complaints
		SET version = $2, customer_id = $3, at = $4, open = $5, due_at = $6, doc = $7 WHERE id = $1 AND version = $2 - 1`,
		c.ID, c.Version, c.CustomerID, c.ReceivedAt, c.Status.Open(), nullTime(c.DueAt), doc)
}

func (s feedbackStore) OpenComplaints(ctx context.Context) iter.Seq2[feedback.Complaint, error] {
	return ordered[feedback.Complaint](ctx, s.db, "feedback_complaints", "", "open", false)
}

func (s feedbackStore) ComplaintsBetween(ctx context.Context, from, to time.Time) iter.Seq2[feedback.Complaint, error] {
	return ordered[feedback.Complaint](ctx, s.db, "feedback_complaints", "at", "at >= $1 AND at < $2", false, from, to)
}

func (s feedbackStore) ComplaintsOf(ctx context.Context, customerID string) iter.Seq2[feedback.Complaint, error] {
	return ordered[feedback.Complaint](ctx, s.db, "feedback_complaints", "at", "customer_id = $1 AND customer_id <> ''", true, customerID)
}

// ComplaintsDueBefore implements feedback.DueComplaintIndex over the
// partial index feedback_complaints_due.
func (s feedbackStore) ComplaintsDueBefore(ctx context.Context, t time.Time) iter.Seq2[feedback.Complaint, error] {
	return ordered[feedback.Complaint](ctx, s.db, "feedback_complaints", "due_at", "due_at IS NOT NULL AND due_at < $1", false, t)
}

// --- surveys, responses, invitation logs

func (s feedbackStore) CreateSurvey(ctx context.Context, sv feedback.Survey) error {
	doc, err := json.Marshal(sv)
	if err != nil {
		return err
	}
	return s.insert(ctx, "feedback_surveys", sv.ID, `INSERT INTO feedback_surveys (id, version, doc) VALUES ($1, $2, $3)`, sv.ID, sv.Version, doc)
}

func (s feedbackStore) GetSurvey(ctx context.Context, id string) (feedback.Survey, error) {
	var sv feedback.Survey
	return sv, s.get(ctx, "feedback_surveys", "id", id, &sv)
}

func (s feedbackStore) UpdateSurvey(ctx context.Context, sv feedback.Survey) error {
	doc, err := json.Marshal(sv)
	if err != nil {
		return err
	}
	return s.update(ctx, "feedback_surveys", sv.ID, `UPDATE feedback_surveys SET version = $2, doc = $3 WHERE id = $1 AND version = $2 - 1`,
		sv.ID, sv.Version, doc)
}

func (s feedbackStore) Surveys(ctx context.Context) iter.Seq2[feedback.Survey, error] {
	return ordered[feedback.Survey](ctx, s.db, "feedback_surveys", "", "true", false)
}

func (s feedbackStore) AddResponse(ctx context.Context, r feedback.ResponseRecord) error {
	doc, err := json.Marshal(r.Response)
	if err != nil {
		return err
	}
	return s.insert(ctx, "feedback_responses", r.Response.ID, `INSERT INTO feedback_responses (id, customer_id, at, hash, doc)
		VALUES ($1, $2, $3, $4, $5)`, r.Response.ID, r.Response.CustomerID, r.Response.Time, r.Hash, doc)
}

func (s feedbackStore) GetResponse(ctx context.Context, id string) (feedback.ResponseRecord, error) {
	var doc []byte
	var r feedback.ResponseRecord
	err := s.db.pool.QueryRow(ctx, `SELECT doc, hash FROM feedback_responses WHERE id = $1`, id).Scan(&doc, &r.Hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("feedback_responses %s: %w", id, feedback.ErrNotFound)
	}
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal(doc, &r.Response)
}

func (s feedbackStore) ResponsesBetween(ctx context.Context, from, to time.Time) iter.Seq2[feedback.Response, error] {
	return ordered[feedback.Response](ctx, s.db, "feedback_responses", "at", "at >= $1 AND at < $2", false, from, to)
}

func (s feedbackStore) ResponsesOf(ctx context.Context, customerID string) iter.Seq2[feedback.Response, error] {
	return ordered[feedback.Response](ctx, s.db, "feedback_responses", "at", "customer_id = $1 AND customer_id <> ''", true, customerID)
}

func (s feedbackStore) GetInvitationLog(ctx context.Context, customerID string) (feedback.InvitationLog, error) {
	var l feedback.InvitationLog
	return l, s.get(ctx, "feedback_invitation_logs", "customer_id", customerID, &l)
}

func (s feedbackStore) SaveInvitationLog(ctx context.Context, l feedback.InvitationLog) error {
	conflict := fmt.Errorf("invitation log of %s: version %d: %w", l.CustomerID, l.Version, feedback.ErrConflict)
	doc, err := json.Marshal(l)
	if err != nil {
		return err
	}
	switch {
	case l.Version < 1:
		return conflict
	case l.Version == 1:
		_, err := s.db.pool.Exec(ctx, `INSERT INTO feedback_invitation_logs (customer_id, version, doc) VALUES ($1, 1, $2)`, l.CustomerID, doc)
		if uniqueViolation(err, "feedback_invitation_logs_pkey") {
			return conflict
		}
		return err
	}
	tag, err := s.db.pool.Exec(ctx, `UPDATE feedback_invitation_logs SET version = $2, doc = $3 WHERE customer_id = $1 AND version = $2 - 1`,
		l.CustomerID, l.Version, doc)
	if err == nil && tag.RowsAffected() == 0 {
		return conflict
	}
	return err
}

// --- reviews

func (s feedbackStore) CreateReview(ctx context.Context, r feedback.Review) error {
	doc, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.insert(ctx, "feedback_reviews", r.ID, `INSERT INTO feedback_reviews (id, version, customer_id, sku, at, doc)
		VALUES ($1, $2, $3, $4, $5, $6)`, r.ID, r.Version, r.CustomerID, r.SKU, r.Time, doc)
}

func (s feedbackStore) GetReview(ctx context.Context, id string) (feedback.Review, error) {
	var r feedback.Review
	return r, s.get(ctx, "feedback_reviews", "id", id, &r)
}

func (s feedbackStore) UpdateReview(ctx context.Context, r feedback.Review) error {
	doc, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.update(ctx, "feedback_reviews", r.ID, `UPDATE feedback_reviews
		SET version = $2, customer_id = $3, sku = $4, at = $5, doc = $6 WHERE id = $1 AND version = $2 - 1`,
		r.ID, r.Version, r.CustomerID, r.SKU, r.Time, doc)
}

func (s feedbackStore) ReviewsOfProduct(ctx context.Context, sku string) iter.Seq2[feedback.Review, error] {
	return ordered[feedback.Review](ctx, s.db, "feedback_reviews", "at", "sku = $1 AND sku <> ''", true, sku)
}

func (s feedbackStore) ReviewsBetween(ctx context.Context, from, to time.Time) iter.Seq2[feedback.Review, error] {
	return ordered[feedback.Review](ctx, s.db, "feedback_reviews", "at", "at >= $1 AND at < $2", false, from, to)
}

func (s feedbackStore) ReviewsOf(ctx context.Context, customerID string) iter.Seq2[feedback.Review, error] {
	return ordered[feedback.Review](ctx, s.db, "feedback_reviews", "at", "customer_id = $1 AND customer_id <> ''", true, customerID)
}

// --- follow-ups

func (s feedbackStore) CreateFollowUp(ctx context.Context, f feedback.FollowUp) error {
	doc, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return s.insert(ctx, "feedback_follow_ups", f.ID, `INSERT INTO feedback_follow_ups (id, version, customer_id, store, staff, status, announced, at, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, f.ID, f.Version, f.CustomerID, f.Store, f.Staff, string(f.Status), f.Announced, f.DueAt, doc)
}

func (s feedbackStore) GetFollowUp(ctx context.Context, id string) (feedback.FollowUp, error) {
	var f feedback.FollowUp
	return f, s.get(ctx, "feedback_follow_ups", "id", id, &f)
}

func (s feedbackStore) UpdateFollowUp(ctx context.Context, f feedback.FollowUp) error {
	doc, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return s.update(ctx, "feedback_follow_ups", f.ID, `UPDATE feedback_follow_ups
		SET version = $2, customer_id = $3, store = $4, staff = $5, status = $6, announced = $7, at = $8, doc = $9
		WHERE id = $1 AND version = $2 - 1`,
		f.ID, f.Version, f.CustomerID, f.Store, f.Staff, string(f.Status), f.Announced, f.DueAt, doc)
}

// FollowUps filters in SQL, so a due list of open follow-ups reads the
// partial index of open ones.
func (s feedbackStore) FollowUps(ctx context.Context, q feedback.FollowUpFilter) iter.Seq2[feedback.FollowUp, error] {
	conds := []string{"true"}
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if q.CustomerID != "" {
		add("customer_id = $%d", q.CustomerID)
	}
	if q.Store != "" {
		add("store = $%d", q.Store)
	}
	if q.Staff != "" {
		add("staff = $%d", q.Staff)
	}
	switch q.Status {
	case "":
	case feedback.FollowUpOpen:
		// A literal, not a parameter: a generic plan can use the partial
		// index of open follow-ups only if the query names its predicate.
		conds = append(conds, "status = 'open'")
	default:
		add("status = $%d", string(q.Status))
	}
	if !q.DueBefore.IsZero() {
		add("at < $%d", q.DueBefore)
	}
	if q.Unannounced {
		conds = append(conds, "NOT announced")
	}
	return ordered[feedback.FollowUp](ctx, s.db, "feedback_follow_ups", "at", strings.Join(conds, " AND "), false, args...)
}

// --- customer links

// keysOf returns a record's ID, customer and version (0 for responses,
// which have none): the columns rewrite keeps beside the document.
type keysOf[T any] func(*T) (id, customer string, version int64)

func complaintKeys(c *feedback.Complaint) (string, string, int64) {
	return c.ID, c.CustomerID, c.Version
}
func responseKeys(r *feedback.Response) (string, string, int64) { return r.ID, r.CustomerID, 0 }
func reviewKeys(r *feedback.Review) (string, string, int64)     { return r.ID, r.CustomerID, r.Version }
func followUpKeys(f *feedback.FollowUp) (string, string, int64) { return f.ID, f.CustomerID, f.Version }

// Reassign moves a customer's records in one transaction, bumping the
// versions of versioned ones. Records already moved no longer match, so
// a second call changes nothing.
func (s feedbackStore) Reassign(ctx context.Context, from, to string) error {
	if from == "" || from == to {
		return nil
	}
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		return inOrder(
			func() error {
				return rewrite(ctx, tx, "feedback_complaints", from, complaintKeys, func(c *feedback.Complaint) bool {
					c.CustomerID, c.Version = to, c.Version+1
					return true
				})
			},
			func() error {
				return rewrite(ctx, tx, "feedback_responses", from, responseKeys, func(r *feedback.Response) bool {
					r.CustomerID = to
					return true
				})
			},
			func() error {
				return rewrite(ctx, tx, "feedback_reviews", from, reviewKeys, func(r *feedback.Review) bool {
					r.CustomerID, r.Version = to, r.Version+1
					return true
				})
			},
			func() error {
				return rewrite(ctx, tx, "feedback_follow_ups", from, followUpKeys, func(f *feedback.FollowUp) bool {
					f.CustomerID, f.Version = to, f.Version+1
					return true
				})
			})
	})
}

// Redact clears the free text of a customer's records with the domain's
// own Redact methods, in one transaction. A versioned record gets a new
// version only if redaction changed it, so a second call changes nothing.
func (s feedbackStore) Redact(ctx context.Context, customerID string) error {
	if customerID == "" {
		return nil
	}
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		return inOrder(
			func() error {
				return rewrite(ctx, tx, "feedback_complaints", customerID, complaintKeys, (*feedback.Complaint).Erase)
			},
			func() error {
				return rewrite(ctx, tx, "feedback_responses", customerID, responseKeys, (*feedback.Response).Redact)
			},
			func() error {
				return rewrite(ctx, tx, "feedback_reviews", customerID, reviewKeys, (*feedback.Review).Erase)
			},
			func() error {
				return rewrite(ctx, tx, "feedback_follow_ups", customerID, followUpKeys, (*feedback.FollowUp).Erase)
			})
	})
}

// inOrder runs steps until one fails: after a failed statement the
// transaction takes no more.
func inOrder(steps ...func() error) error {
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// rewrite locks a customer's rows of table, applies change to each
// document and writes back the ones it changed, with their customer and
// version columns. The rows are read in full before any is written: one
// customer's feedback is small, and a connection cannot write while it
// still reads a result.
func rewrite[T any](ctx context.Context, tx pgx.Tx, table, customerID string, keys keysOf[T], change func(*T) bool) error {
	rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT doc FROM %s WHERE customer_id = $1 ORDER BY id FOR UPDATE`, table), customerID)
	if err != nil {
		return err
	}
	docs, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return err
	}
	batch := &pgx.Batch{}
	for _, doc := range docs {
		var v T
		if err := json.Unmarshal(doc, &v); err != nil {
			return err
		}
		if !change(&v) {
			continue
		}
		out, err := json.Marshal(v)
		if err != nil {
			return err
		}
		id, customer, version := keys(&v)
		if version == 0 {
			batch.Queue(fmt.Sprintf(`UPDATE %s SET customer_id = $2, doc = $3 WHERE id = $1`, table), id, customer, out)
		} else {
			batch.Queue(fmt.Sprintf(`UPDATE %s SET customer_id = $2, version = $3, doc = $4 WHERE id = $1`, table), id, customer, version, out)
		}
	}
	if batch.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, batch).Close()
}
