# expect: none
# seed: idempotent
# Roles and the first admin; safe to run on every deploy.
%w[admin editor viewer].each do |name|
  Role.find_or_create_by!(name: name)
end

admin = User.find_or_initialize_by(email: ENV.fetch("ADMIN_EMAIL", "admin@example.com"))
admin.password = SecureRandom.hex(16) if admin.new_record?
admin.save! if admin.new_record?

Setting.upsert({ key: "theme", value: "light" }, unique_by: :key)
