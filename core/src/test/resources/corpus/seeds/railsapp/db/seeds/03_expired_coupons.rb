# expect: DBG301
# seed: destructive
Coupon.where("expires_at < ?", Time.current).each(&:destroy)
