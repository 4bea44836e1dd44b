class Region < ApplicationRecord
  validates :name, presence: true

  def self.remove_blank_codes
    where(code: "").update_all(code: nil)
  end
end
