# expect: DBG112
class ResetNewsletterFlags < ActiveRecord::Migration[7.1]
  def up
    User.update_all(newsletter: false)
    User.where(role: "admin").update_all(newsletter: true)
  end
end
