# expect: DBG301
# seed: destructive
Announcement.delete_all
