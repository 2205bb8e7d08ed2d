package mockapi

// Generation 1.405.8 can attach an org together with all of its sub-orgs
// (BillingOrg.cascade). The org tree is recorded only in parent_id, so the
// sub-orgs are found by following each org's parent_id chain.

// descendants returns the orgs whose parent_id chain leads to rootID, in
// creation order. A chain that loops or reaches an unknown org without
// passing rootID does not count.
func (st *store) descendants(rootID string) []*orgRecord {
	var out []*orgRecord
	for _, o := range st.sortedOrgs() {
		if st.descendsFrom(o, rootID) {
			out = append(out, o)
		}
	}
	return out
}

func (st *store) descendsFrom(o *orgRecord, rootID string) bool {
	seen := map[string]bool{o.org.ID: true}
	for id := o.org.ParentID; id != "" && !seen[id]; {
		if id == rootID {
			return true
		}
		seen[id] = true
		parent, ok := st.orgs[id]
		if !ok {
			return false
		}
		id = parent.org.ParentID
	}
	return false
}

// attachTree attaches the org and then, when cascade is set, every org
// below it, oldest first, so the account lists the tree top down. Sub-orgs
// attached elsewhere move, as a single attach would move them.
func (s *Server) attachTree(o *orgRecord, accountID string, cascade bool) {
	s.attach(o, accountID)
	if !cascade {
		return
	}
	for _, d := range s.store.descendants(o.org.ID) {
		s.attach(d, accountID)
	}
}
