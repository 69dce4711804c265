// snn_act: an activation and its derivative for a saturated pre-activation z (format
// fixed<W, F>), in four registered stages (latency 4, moving when `en` is high), each a few
// LUT levels or one carry chain deep:
//   [1] z is registered (the saturation in front of it is the only logic before);
//   [2] sigmoid: the table index clamp((z + OFFSET) >>> IDX_SHIFT, 0, ENTRIES - 1);
//       relu: max(z, 0) and (z > 0 ? ONE : 0); identity: z and ONE;
//   [3] sigmoid: the table's word {value, derivative} is read; others: delayed;
//   [4] the outputs are registered (a block RAM's clock-to-out stays inside the stage), in
//       flip-flops kept out of shift-register inference (a piecewise activation's stages are
//       a plain chain, and an SRL's clock-to-out is 1.5 ns).
`default_nettype none
module snn_act #(
    parameter W         = 10,
    parameter KIND      = 0,
    parameter ONE       = 128,
    parameter OFFSET    = 512,         // R * 2^F: the raw value of the table's lower end, negated
    parameter IDX_SHIFT = 0,
    parameter ENTRIES   = 1024,
    parameter IDX_W     = 10,
    parameter TABLE     = "",
    /* verilator lint_off UNUSEDPARAM */
    parameter TABLE_STYLE = "logic"     // the table's storage: "block" or "logic"
    /* verilator lint_on UNUSEDPARAM */
) (
    input  wire                clk,
    input  wire                en,
    input  wire signed [W-1:0] z,
    output wire signed [W-1:0] value,
    output wire signed [W-1:0] derivative
);
    reg signed [W-1:0] z_1;
    initial z_1 = {W{1'b0}};
    always @(posedge clk) if (en) z_1 <= z;
    wire [2*W-1:0] pair_3;   // {value, derivative} at [3]
    generate
        if (KIND == 0) begin : sigmoid
            localparam XW = (W > 32 ? W : 32) + 2;
            // Signed throughout, so that the shift is arithmetic below the table's range.
            wire signed [XW-1:0] z_ext = {{(XW - W){z_1[W-1]}}, z_1};
            wire signed [XW-1:0] shifted = (z_ext + OFFSET) >>> IDX_SHIFT;
            reg [IDX_W-1:0] index_2;
            initial index_2 = {IDX_W{1'b0}};
            always @(posedge clk) begin
                if (en) begin
                    index_2 <= shifted < 0 ? {IDX_W{1'b0}}
                        : shifted > ENTRIES - 1 ? ENTRIES[IDX_W-1:0] - 1'b1
                        : shifted[IDX_W-1:0];
                end
            end
            snn_rom #(.WIDTH(2 * W), .DEPTH(ENTRIES), .ADDR(IDX_W), .INIT(TABLE), .STYLE(TABLE_STYLE)) table_rom (
                .clk(clk), .en(en), .addr(index_2), .data(pair_3)
            );
        end else begin : piecewise
            reg signed [W-1:0] v_2, d_2, v_3, d_3;
            initial begin
                v_2 = {W{1'b0}};
                d_2 = {W{1'b0}};
                v_3 = {W{1'b0}};
                d_3 = {W{1'b0}};
            end
            always @(posedge clk) begin
                if (!en) begin
                end else if (KIND == 1) begin
                    v_2 <= z_1[W-1] ? {W{1'b0}} : z_1;
                    d_2 <= (!z_1[W-1] && z_1 != 0) ? ONE[W-1:0] : {W{1'b0}};
                end else begin
                    v_2 <= z_1;
                    d_2 <= ONE[W-1:0];
                end
                if (en) begin
                    v_3 <= v_2;
                    d_3 <= d_2;
                end
            end
            assign pair_3 = {v_3, d_3};
        end
    endgenerate
    // Vivado reads `shreg_extract` on the registers, Yosys `keep` on their process.
    (* shreg_extract = "no" *) reg signed [W-1:0] value_4, derivative_4;
    initial begin
        value_4 = {W{1'b0}};
        derivative_4 = {W{1'b0}};
    end
    (* keep *) always @(posedge clk) begin
        if (en) begin
            value_4 <= pair_3[2*W-1:W];
            derivative_4 <= pair_3[W-1:0];
        end
    end
    assign value = value_4;
    assign derivative = derivative_4;
endmodule
`default_nettype wire
