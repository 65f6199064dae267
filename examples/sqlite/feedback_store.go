package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/clientele-go/clientele/feedback"
)

// Feedback returns the feedback.Store kept in this database. It also
// offers feedback.DueComplaintIndex: the overdue scan reads a partial
// index on the complaints' due time.
func (db *DB) Feedback() feedback.Store { return feedbackStore{db} }

type feedbackStore struct{ db *DB }

var _ feedback.DueComplaintIndex = feedbackStore{}

// insert runs a create in a write transaction and maps a taken key to
// ErrAlreadyExists.
func (s feedbackStore) insert(ctx context.Context, table, id, query string, args ...any) error {
	return s.db.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		if constraint(err) {
			return fmt.Errorf("%s %s: %w", table, id, feedback.ErrAlreadyExists)
		}
		return err
	})
}

// update runs a compare-and-set update of the row id of table.
func (s feedbackStore) update(ctx context.Context, table, id, query string, args ...any) error {
	return s.db.tx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		return casResult(ctx, tx, res, err, fmt.Sprintf(`SELECT 1 FROM %s WHERE id = ?`, table), id,
			table+" "+id, feedback.ErrNotFound, feedback.ErrConflict)
	})
}

// get reads the document of one row into v.
func (s feedbackStore) get(ctx context.Context, table, key, id string, v any) error {
	ok, err := getDoc(ctx, s.db.rd, v, fmt.Sprintf(`SELECT doc FROM %s WHERE %s = ?`, table, key), id)
	if err == nil && !ok {
		return fmt.Errorf("%s %s: %w", table, id, feedback.ErrNotFound)
	}
	return err
}

// --- complaints

func (s feedbackStore) CreateComplaint(ctx context.Context, c feedback.Complaint) error {
	doc, err := marshal(c)
	if err != nil {
		return err
	}
	return s.insert(ctx, "feedback_complaints", c.ID, `INSERT INTO feedback_complaints (id, version, customer_id, at, open, due_at, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, c.Version, c.CustomerID, micros(c.ReceivedAt), c.Status.Open(), nullMicros(c.DueAt), doc)
}

func (s feedbackStore) GetComplaint(ctx context.Context, id string) (feedback.Complaint, error) {
	var c feedback.Complaint
	return c, s.get(ctx, "feedback_complaints", "id", id, &c)
}

func (s feedbackStore) UpdateComplaint(ctx context.Context, c feedback.Complaint) error {
	doc, err := marshal(c)
	if err != nil {
		return err
	}
	return s.update(ctx, "feedback_complaints", c.ID, `UPDATE feedback_complaints
		SET version = ?2, customer_id = ?3, at = ?4, open = ?5, due_at = ?6, doc = ?7 WHERE id = ?1 AND version = ?2 - 1`,
		c.ID, c.Version, c.CustomerID, micros(c.ReceivedAt), c.Status.Open(), nullMicros(c.DueAt), doc)
}

func (s feedbackStore) OpenComplaints(ctx context.Context) iter.Seq2[feedback.Complaint, error] {
	return ordered[feedback.Complaint](ctx, s.db, "feedback_complaints", "", "open", false)
}

func (s feedbackStore) ComplaintsBetween(ctx context.Context, from, to time.Time) iter.Seq2[feedback.Complaint, error] {
	return ordered[feedback.Complaint](ctx, s.db, "feedback_complaints", "at", "at >= ? AND at < ?", false, micros(from), micros(to))
}

func (s feedbackStore) ComplaintsOf(ctx context.Context, customerID string) iter.Seq2[feedback.Complaint, error] {
	return ordered[feedback.Complaint](ctx, s.db, "feedback_complaints", "at", "customer_id = ? AND customer_id <> ''", true, customerID)
}

// ComplaintsDueBefore implements feedback.DueComplaintIndex over the
// partial index feedback_complaints_due.
func (s feedbackStore) ComplaintsDueBefore(ctx context.Context, t time.Time) iter.Seq2[feedback.Complaint, error] {
	return ordered[feedback.Complaint](ctx, s.db, "feedback_complaints", "due_at", "due_at IS NOT NULL AND due_at < ?", false, micros(t))
}

// --- surveys, responses, invitation logs

func (s feedbackStore) CreateSurvey(ctx context.Context, sv feedback.Survey) error {
	doc, err := marshal(sv)
	if err != nil {
		return err
	}
	return s.insert(ctx, "feedback_surveys", sv.ID, `INSERT INTO feedback_surveys (id, version, doc) VALUES (?, ?, ?)`, sv.ID, sv.Version, doc)
}

func (s feedbackStore) GetSurvey(ctx context.Context, id string) (feedback.Survey, error) {
	var sv feedback.Survey
	return sv, s.get(ctx, "feedback_surveys", "id", id, &sv)
}

func (s feedbackStore) UpdateSurvey(ctx context.Context, sv feedback.Survey) error {
	doc, err := marshal(sv)
	if err != nil {
		return err
	}
	return s.update(ctx, "feedback_surveys", sv.ID, `UPDATE feedback_surveys SET version = ?2, doc = ?3 WHERE id = ?1 AND version = ?2 - 1`,
		sv.ID, sv.Version, doc)
}

func (s feedbackStore) Surveys(ctx context.Context) iter.Seq2[feedback.Survey, error] {
	return ordered[feedback.Survey](ctx, s.db, "feedback_surveys", "", "1", false)
}

func (s feedbackStore) AddResponse(ctx context.Context, r feedback.ResponseRecord) error {
	doc, err := marshal(r.Response)
	if err != nil {
		return err
	}
	return s.insert(ctx, "feedback_responses", r.Response.ID, `INSERT INTO feedback_responses (id, customer_id, at, hash, doc)
		VALUES (?, ?, ?, ?, ?)`, r.Response.ID, r.Response.CustomerID, micros(r.Response.Time), r.Hash, doc)
}

func (s feedbackStore) GetResponse(ctx context.Context, id string) (feedback.ResponseRecord, error) {
	var doc string
	var r feedback.ResponseRecord
	err := s.db.rd.QueryRowContext(ctx, `SELECT doc, hash FROM feedback_responses WHERE id = ?`, id).Scan(&doc, &r.Hash)
	if err == sql.ErrNoRows {
		return r, fmt.Errorf("feedback_responses %s: %w", id, feedback.ErrNotFound)
	}
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(doc), &r.Response)
}

func (s feedbackStore) ResponsesBetween(ctx context.Context, from, to time.Time) iter.Seq2[feedback.Response, error] {
	return ordered[feedback.Response](ctx, s.db, "feedback_responses", "at", "at >= ? AND at < ?", false, micros(from), micros(to))
}

func (s feedbackStore) ResponsesOf(ctx context.Context, customerID string) iter.Seq2[feedback.Response, error] {
	return ordered[feedback.Response](ctx, s.db, "feedback_responses", "at", "customer_id = ? AND customer_id <> ''", true, customerID)
}

func (s feedbackStore) GetInvitationLog(ctx context.Context, customerID string) (feedback.InvitationLog, error) {
	var l feedback.InvitationLog
	return l, s.get(ctx, "feedback_invitation_logs", "customer_id", customerID, &l)
}

func (s feedbackStore) SaveInvitationLog(ctx context.Context, l feedback.InvitationLog) error {
	conflict := fmt.Errorf("invitation log of %s: version %d: %w", l.CustomerID, l.Version, feedback.ErrConflict)
	if l.Version < 1 {
		return conflict
	}
	doc, err := marshal(l)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *wtx) error {
		var res sql.Result
		var err error
		if l.Version == 1 {
			res, err = tx.ExecContext(ctx, `INSERT INTO feedback_invitation_logs (customer_id, version, doc) VALUES (?, 1, ?)
				ON CONFLICT DO NOTHING`, l.CustomerID, doc)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE feedback_invitation_logs SET version = ?2, doc = ?3 WHERE customer_id = ?1 AND version = ?2 - 1`,
				l.CustomerID, l.Version, doc)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return conflict
		}
		return nil
	})
}

// --- reviews

func (s feedbackStore) CreateReview(ctx context.Context, r feedback.Review) error {
	doc, err := marshal(r)
	if err != nil {
		return err
	}
	return s.insert(ctx, "feedback_reviews", r.ID, `INSERT INTO feedback_reviews (id, version, customer_id, sku, at, doc)
		VALUES (?, ?, ?, ?, ?, ?)`, r.ID, r.Version, r.CustomerID, r.SKU, micros(r.Time), doc)
}

func (s feedbackStore) GetReview(ctx context.Context, id string) (feedback.Review, error) {
	var r feedback.Review
	return r, s.get(ctx, "feedback_reviews", "id", id, &r)
}

func (s feedbackStore) UpdateReview(ctx context.Context, r feedback.Review) error {
	doc, err := marshal(r)
	if err != nil {
		return err
	}
	return s.update(ctx, "feedback_reviews", r.ID, `UPDATE feedback_reviews
		SET version = ?2, customer_id = ?3, sku = ?4, at = ?5, doc = ?6 WHERE id = ?1 AND version = ?2 - 1`,
		r.ID, r.Version, r.CustomerID, r.SKU, micros(r.Time), doc)
}

func (s feedbackStore) ReviewsOfProduct(ctx context.Context, sku string) iter.Seq2[feedback.Review, error] {
	return ordered[feedback.Review](ctx, s.db, "feedback_reviews", "at", "sku = ? AND sku <> ''", true, sku)
}

func (s feedbackStore) ReviewsBetween(ctx context.Context, from, to time.Time) iter.Seq2[feedback.Review, error] {
	return ordered[feedback.Review](ctx, s.db, "feedback_reviews", "at", "at >= ? AND at < ?", false, micros(from), micros(to))
}

func (s feedbackStore) ReviewsOf(ctx context.Context, customerID string) iter.Seq2[feedback.Review, error] {
	return ordered[feedback.Review](ctx, s.db, "feedback_reviews", "at", "customer_id = ? AND customer_id <> ''", true, customerID)
}

// --- follow-ups

func (s feedbackStore) CreateFollowUp(ctx context.Context, f feedback.FollowUp) error {
	doc, err := marshal(f)
	if err != nil {
		return err
	}
	return s.insert(ctx, "feedback_follow_ups", f.ID, `INSERT INTO feedback_follow_ups (id, version, customer_id, store, staff, status, announced, at, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, f.Version, f.CustomerID, f.Store, f.Staff, string(f.Status), f.Announced, micros(f.DueAt), doc)
}

func (s feedbackStore) GetFollowUp(ctx context.Context, id string) (feedback.FollowUp, error) {
	var f feedback.FollowUp
	return f, s.get(ctx, "feedback_follow_ups", "id", id, &f)
}

func (s feedbackStore) UpdateFollowUp(ctx context.Context, f feedback.FollowUp) error {
	doc, err := marshal(f)
	if err != nil {
		return err
	}
	return s.update(ctx, "feedback_follow_ups", f.ID, `UPDATE feedback_follow_ups
		SET version = ?2, customer_id = ?3, store = ?4, staff = ?5, status = ?6, announced = ?7, at = ?8, doc = ?9
		WHERE id = ?1 AND version = ?2 - 1`,
		f.ID, f.Version, f.CustomerID, f.Store, f.Staff, string(f.Status), f.Announced, micros(f.DueAt), doc)
}

// FollowUps filters in SQL, so a due list of open follow-ups reads the
// partial index of open ones.
func (s feedbackStore) FollowUps(ctx context.Context, q feedback.FollowUpFilter) iter.Seq2[feedback.FollowUp, error] {
	conds := []string{"1"}
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, cond)
	}
	if q.CustomerID != "" {
		add("customer_id = ?", q.CustomerID)
	}
	if q.Store != "" {
		add("store = ?", q.Store)
	}
	if q.Staff != "" {
		add("staff = ?", q.Staff)
	}
	switch q.Status {
	case "":
	case feedback.FollowUpOpen:
		// A literal, so the planner can use the partial index of open
		// follow-ups.
		conds = append(conds, "status = 'open'")
	default:
		add("status = ?", string(q.Status))
	}
	if !q.DueBefore.IsZero() {
		add("at < ?", micros(q.DueBefore))
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
	return s.db.tx(ctx, func(tx *wtx) error {
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
	return s.db.tx(ctx, func(tx *wtx) error {
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

// inOrder runs steps until one fails.
func inOrder(steps ...func() error) error {
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// rewrite applies change to each document of a customer's rows of table
// and writes back the ones it changed, with their customer and version
// columns. The rows are read in full before any is written: one
// customer's feedback is small.
func rewrite[T any](ctx context.Context, tx *wtx, table, customerID string, keys keysOf[T], change func(*T) bool) error {
	docs, err := collect(ctx, tx, fmt.Sprintf(`SELECT doc FROM %s WHERE customer_id = ? ORDER BY id`, table), []any{customerID}, scanDoc[T])
	if err != nil {
		return err
	}
	for _, v := range docs {
		if !change(&v) {
			continue
		}
		out, err := marshal(v)
		if err != nil {
			return err
		}
		id, customer, version := keys(&v)
		if version == 0 {
			_, err = tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET customer_id = ?, doc = ? WHERE id = ?`, table), customer, out, id)
		} else {
			_, err = tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET customer_id = ?, version = ?, doc = ? WHERE id = ?`, table), customer, version, out, id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
