# expect: DBG302
# seed: non-idempotent
if Rails.env.development? || Rails.env.production?
  Announcement.create!(text: "Welcome")
end
